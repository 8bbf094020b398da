import assert from "node:assert/strict";
import { browserCookie, browserKey, ClientStreams } from "./client_streams.ts";
import { HttpError } from "./http_error.ts";

Deno.test("client streams - a browser holds at most its share, each slot given back once", async (t) => {
  await t.step("the stream beyond the share is a 429 naming what holds the others", () => {
    const streams = new ClientStreams(2);
    streams.acquire("a", "live updates of /monitor", Date.UTC(2026, 0, 1, 10, 0, 0));
    streams.acquire("a", "a live tail of orders", Date.UTC(2026, 0, 1, 10, 5, 0));
    assert.throws(() => streams.acquire("a", "live updates of /"), (e) => {
      assert.ok(e instanceof HttpError);
      assert.equal(e.status, 429);
      assert.match(e.message, /already holds 2 live streams/);
      assert.match(e.message, /live updates of \/monitor since 10:00:00 UTC/);
      assert.match(e.message, /a live tail of orders since 10:05:00 UTC/);
      return true;
    });
    streams.acquire("b", "live updates of /", Date.now());
    assert.equal(streams.total(), 3, "another browser has its own share");
  });
  await t.step("a released slot is free again; releasing twice frees one", () => {
    const streams = new ClientStreams(1);
    const slot = streams.acquire("a", "x");
    slot.release();
    slot.release();
    const again = streams.acquire("a", "y");
    assert.throws(() => streams.acquire("a", "z"), HttpError);
    again.release();
    assert.equal(streams.total(), 0);
    assert.deepEqual(streams.held("a"), []);
  });
  await t.step("a share that is not a positive integer is refused at construction", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new ClientStreams(bad));
  });
});

Deno.test("client streams - a browser is its cookie; a client without one is not counted", async (t) => {
  const request = (headers: Record<string, string>) =>
    new Request("http://127.0.0.1/api/events", { headers });
  await t.step("the cookie wins over the address", () => {
    const id = "0123456789abcdef0123";
    const req = request({ cookie: `a=b; freshet_browser=${id}; c=d`, "user-agent": "UA" });
    assert.equal(browserCookie(req), id);
    assert.equal(browserKey(req), `cookie:${id}`);
  });
  await t.step("a malformed cookie is no cookie", () => {
    for (const bad of ["short", "x".repeat(65), "bad value with spaces!!!!!"]) {
      const req = request({ cookie: `freshet_browser=${bad}`, "user-agent": "UA" });
      assert.equal(browserCookie(req), undefined, bad);
      assert.equal(browserKey(req), undefined);
    }
  });
  await t.step("a client without the cookie always gets a slot, counted nowhere", () => {
    const streams = new ClientStreams(1);
    for (let i = 0; i < 5; i++) streams.acquire(undefined, "a script's stream");
    assert.equal(streams.total(), 0);
  });
});
