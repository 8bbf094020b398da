import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { toFeedMessage, truncatedText } from "./feed.ts";

Deno.test("truncatedText - bytes as text, cut with an ellipsis", () => {
  const bytes = new TextEncoder().encode("héllo world");
  assert.equal(truncatedText(bytes, 50), "héllo world");
  assert.equal(truncatedText(bytes, 5), "héllo…");
  assert.equal(truncatedText(null, 5), null);
  assert.equal(truncatedText(new Uint8Array([0xff, 0x41]), 5), "\ufffdA");
});

Deno.test("toFeedMessage - a KafkaJS message as text fields", () => {
  const message = toFeedMessage("t", 2, {
    offset: "41",
    timestamp: "1700000000000",
    key: Buffer.from("<b>k</b>"),
    value: Buffer.from("x".repeat(600)),
    headers: { ce_type: Buffer.from("demo"), many: [Buffer.from("a"), Buffer.from("b")] },
  });
  assert.equal(message.offset, 41);
  assert.equal(message.timestamp, 1_700_000_000_000);
  assert.equal(message.key, "<b>k</b>");
  assert.equal(message.value?.length, 501);
  assert.deepEqual(message.headers, { ce_type: "demo", many: "a" });
});
