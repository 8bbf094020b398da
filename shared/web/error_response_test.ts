import assert from "node:assert/strict";
import { HttpError } from "./http_error.ts";
import { errorResponse, type ErrorShape, toHttpError, wantsJson } from "./error_response.ts";

const html = (_req: Request, error: HttpError) =>
  new Response(`<p>${error.message}</p>`, {
    status: error.status,
    headers: { "content-type": "text/html" },
  });

const restShape: ErrorShape = {
  pathPrefix: "/topics/",
  respond: (error) =>
    Response.json({ error_code: error.status, message: error.message }, { status: error.status }),
};

Deno.test("errorResponse - a service's shape on its paths, JSON on API paths and for JSON clients, else a page", async (t) => {
  const answers = { renderHtml: html, jsonPaths: ["/api/", "/v1/"], shapes: [restShape] };
  const notFound = new HttpError(404, "no such thing");
  await t.step("the service's shape", async () => {
    const res = errorResponse(notFound, new Request("http://x/topics/t"), answers);
    assert.deepEqual(await res.json(), { error_code: 404, message: "no such thing" });
  });
  for (const path of ["/api/demands/9", "/v1/orders/9"]) {
    await t.step(`JSON on ${path}`, async () => {
      const res = errorResponse(notFound, new Request(`http://x${path}`), answers);
      assert.deepEqual(await res.json(), { error: { status: 404, message: "no such thing" } });
    });
  }
  await t.step("a page elsewhere; JSON when the client asks for it", async () => {
    const page = errorResponse(notFound, new Request("http://x/demands/9"), answers);
    assert.equal(await page.text(), "<p>no such thing</p>");
    const json = errorResponse(
      notFound,
      new Request("http://x/demands/9", { headers: { accept: "application/json" } }),
      answers,
    );
    assert.equal(json.status, 404);
    assert.equal((await json.json()).error.message, "no such thing");
  });
  await t.step("without the services' paths, only the kernel's /api/ is JSON", () => {
    assert.equal(wantsJson(new Request("http://x/api/x")), true);
    assert.equal(wantsJson(new Request("http://x/v1/orders")), false);
    assert.equal(wantsJson(new Request("http://x/v1/orders"), ["/api/", "/v1/"]), true);
    const both = new Request("http://x/a", { headers: { accept: "application/json, text/html" } });
    assert.equal(wantsJson(both), false, "a browser accepting both gets the page");
  });
  await t.step("the error's headers are kept", () => {
    const error = new HttpError(405, "no", { headers: { Allow: "GET" } });
    assert.equal(
      errorResponse(error, new Request("http://x/topics/t"), answers).headers.get("allow"),
      "GET",
    );
  });
});

Deno.test("toHttpError - HttpErrors pass, Hono's exceptions keep their status, the rest is a 500 hiding its message", () => {
  const own = new HttpError(409, "taken");
  assert.equal(toHttpError(own), own);
  const hono = Object.assign(new Error("Payload Too Large"), {
    name: "HTTPException",
    status: 413,
  });
  assert.equal(toHttpError(hono).status, 413);
  const bug = toHttpError(new TypeError("secret detail"));
  assert.equal(bug.status, 500);
  assert.equal(bug.message, "Internal Server Error");
  assert.ok(bug.cause instanceof TypeError);
});
