import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { crc32c } from "./crc32c.ts";
import { installCrc32C, installedCrc32C, kafkaJsCrc32C, useFastCrc32C } from "./kafkajs_crc32c.ts";

const require = createRequire(import.meta.url);
type RecordBatchFn = (options: Record<string, unknown>) => Promise<{ buffer: Uint8Array }>;
/** KafkaJS's record batch encoder as its produce requests load it now. */
const recordBatch = (): RecordBatchFn =>
  require("kafkajs/src/protocol/recordBatch/v0/index.js").RecordBatch;
const Record = require("kafkajs/src/protocol/recordBatch/record/v0/index.js");

/** A batch of `count` records of ~1 KB with headers, as KafkaJS encodes it: its CRC and its body. */
async function encodeBatch(count: number): Promise<{ crc: number; body: Uint8Array }> {
  const records = Array.from({ length: count }, (_, i) =>
    Record({
      offsetDelta: i,
      timestampDelta: i * 3,
      key: `key-${i}`,
      value: "x".repeat(1_000 + i),
      headers: { "ce_type": "demands.created", "ce_id": crypto.randomUUID() },
    }));
  const { buffer } = await recordBatch()({ records, lastOffsetDelta: count - 1 });
  const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  // firstOffset int64, length int32, partitionLeaderEpoch int32, magic int8, then the CRC.
  return { crc: view.getUint32(17), body: buffer.subarray(21) };
}

Deno.test("useFastCrc32C - KafkaJS's record batches carry the same checksum, computed by crc32c", async (t) => {
  const calls: number[] = [];
  const spy = (bytes: Uint8Array) => {
    calls.push(bytes.length);
    return crc32c(bytes);
  };
  try {
    await t.step(
      "before: KafkaJS's own function, and the batch's CRC is its checksum of the body",
      async () => {
        assert.equal(installedCrc32C(), kafkaJsCrc32C);
        const { crc, body } = await encodeBatch(3);
        assert.equal(crc, kafkaJsCrc32C(body));
      },
    );
    await t.step("installed after the encoder loaded: the next batch uses it", async () => {
      installCrc32C(spy);
      const { crc, body } = await encodeBatch(5);
      assert.deepEqual(calls, [body.length], "one checksum, over the batch body");
      assert.equal(crc, kafkaJsCrc32C(body));
    });
    await t.step("batches of 1 to 200 records: the same bytes as KafkaJS's checksum", async () => {
      for (const count of [1, 2, 17, 200]) {
        const { crc, body } = await encodeBatch(count);
        assert.equal(crc, kafkaJsCrc32C(body), `${count} records`);
      }
    });
    await t.step("useFastCrc32C installs crc32c; idempotent", () => {
      installCrc32C(kafkaJsCrc32C);
      useFastCrc32C();
      useFastCrc32C();
      assert.equal(installedCrc32C(), crc32c);
    });
  } finally {
    installCrc32C(crc32c);
  }
});

Deno.test("useFastCrc32C - works in a program that may not read the project's folders", async () => {
  // Workers and launched programs read only their data: the patch must not resolve paths.
  const script = `
    import { crc32c } from "${new URL("./crc32c.ts", import.meta.url)}";
    import { installedCrc32C, useFastCrc32C } from "${new URL(
    "./kafkajs_crc32c.ts",
    import.meta.url,
  )}";
    useFastCrc32C();
    if (installedCrc32C() !== crc32c) throw new Error("not installed");
    console.log("installed");
  `;
  const child = new Deno.Command("deno", {
    args: ["run", "--no-prompt", "--allow-read=/tmp", "-"],
    cwd: new URL("../..", import.meta.url).pathname,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const out = new TextDecoder().decode(stdout) + new TextDecoder().decode(stderr);
  assert.equal(code, 0, out);
  assert.equal(out.trim(), "installed");
});
