/**
 * `deno bench shared/kafka/crc32c_bench.ts`: the slicing-by-8 CRC-32C
 * against KafkaJS's one-byte-a-step one (the function its record batch
 * encoder called before the patch), over buffers of a small batch (1 KiB),
 * a typical one (16 KiB) and KafkaJS's largest (1 MiB). docs/performance.md
 * has the ratios.
 */
import { crc32c } from "./crc32c.ts";
import { kafkaJsCrc32C } from "./kafkajs_crc32c.ts";

for (const size of [1_024, 16_384, 1_048_576]) {
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i += 65_536) {
    crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65_536)));
  }
  const group = `${size} bytes`;
  Deno.bench(`KafkaJS crc32C, ${group}`, { group, baseline: true }, () => {
    kafkaJsCrc32C(bytes);
  });
  Deno.bench(`slicing-by-8 crc32c, ${group}`, { group }, () => {
    crc32c(bytes);
  });
}
