import assert from "node:assert/strict";
import { formValues, readForm } from "./form_body.ts";
import { HttpError } from "./http_error.ts";

const post = (body: BodyInit, type?: string) =>
  new Request("http://x/", { method: "POST", body, headers: type ? { "content-type": type } : {} });

Deno.test("form body - a form is read; anything else is a 400 saying so", async () => {
  const form = await readForm(post(new URLSearchParams({ a: "1" })));
  assert.equal(form.get("a"), "1");
  const refused = await readForm(post("{}", "application/json")).catch((e) => e);
  assert.ok(refused instanceof HttpError);
  assert.equal(refused.status, 400);
  assert.equal(refused.message, "expected a form");
});

Deno.test("form body - text fields without the CSRF token; `only` keeps the named, non-empty ones", () => {
  const form = new FormData();
  form.set("_csrf", "token");
  form.set("topic", "orders");
  form.set("note", "");
  form.set("file", new Blob(["x"]), "x.txt");
  assert.deepEqual(formValues(form), { topic: "orders", note: "" });
  assert.deepEqual(formValues(form, ["topic", "note", "_csrf", "missing"]), {
    topic: "orders",
    _csrf: "token",
  });
});
