import assert from "node:assert/strict";
import { Pacer, REPLAY_HEADERS, replayMessage } from "./replay_run.ts";

Deno.test("replay run - pacing and the copy's headers", async (t) => {
  await t.step("the pacer spaces batches at the rate, never bursting after a pause", () => {
    const pacer = new Pacer(100, 0); // 100 records/s: 10 records take 100 ms
    assert.equal(pacer.take(10, 0), 0);
    assert.equal(pacer.take(10, 0), 100);
    assert.equal(pacer.take(10, 50), 150);
    assert.equal(pacer.take(10, 10_000), 0, "a pause earns no credit");
    assert.equal(pacer.take(10, 10_000), 100);
  });
  await t.step("a copy keeps key, value and headers, and says where it came from", () => {
    const encode = (s: string) => new TextEncoder().encode(s);
    const message = replayMessage({ id: 7, source: "orders" }, {
      partition: 2,
      offset: 41,
      timestamp: Date.parse("2024-05-01T10:00:00Z"),
      key: encode("k"),
      value: null,
      headers: [["h", encode("v")], ["gone", null], [REPLAY_HEADERS.id, encode("3")]],
    });
    assert.equal(message.key?.toString(), "k");
    assert.equal(message.value, null);
    assert.deepEqual(
      Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, String(v)])),
      {
        h: "v",
        [REPLAY_HEADERS.of]: "orders/2/41",
        [REPLAY_HEADERS.timestamp]: "2024-05-01T10:00:00.000Z",
        [REPLAY_HEADERS.id]: "7",
      },
    );
  });
});
