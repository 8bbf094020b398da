import assert from "node:assert/strict";
import { formatBytes, formatCount, formatMs, humanConfigValue } from "./units.ts";

Deno.test("units - bytes, durations and Kafka's config values in human units", async (t) => {
  await t.step("bytes: exact when whole, one decimal otherwise", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1023), "1023 B");
    assert.equal(formatBytes(1024 ** 3), "1 GiB");
    assert.equal(formatBytes(4_505), "4.4 KiB");
    assert.equal(formatBytes(1_048_588), "1.0 MiB");
  });
  await t.step("durations: the largest unit that divides, else two units", () => {
    assert.equal(formatMs(604_800_000), "7 d");
    assert.equal(formatMs(86_400_000), "1 d");
    assert.equal(formatMs(300_000), "5 min");
    assert.equal(formatMs(5_400_000), "90 min");
    assert.equal(formatMs(250), "250 ms");
    assert.equal(formatMs(90_061_000), "1 d 1 h 1 min 1 s");
    assert.equal(formatMs(0), "0 ms");
  });
  await t.step("configs: *.ms and *.bytes in units, the no-limit values as unlimited", () => {
    assert.equal(humanConfigValue("retention.ms", "604800000"), "7 d");
    assert.equal(humanConfigValue("retention.ms", "-1"), "unlimited");
    assert.equal(humanConfigValue("retention.bytes", "-1"), "unlimited");
    assert.equal(humanConfigValue("segment.bytes", "1073741824"), "1 GiB");
    assert.equal(humanConfigValue("max.message.bytes", "1048588"), "1.0 MiB");
    assert.equal(humanConfigValue("local.retention.ms", "-2"), "unlimited");
    assert.equal(humanConfigValue("max.compaction.lag.ms", "9223372036854775807"), "unlimited");
    assert.equal(humanConfigValue("flush.messages", "9223372036854775807"), "unlimited");
    assert.equal(humanConfigValue("compression.gzip.level", "-1"), undefined);
    assert.equal(humanConfigValue("cleanup.policy", "compact"), undefined);
    assert.equal(humanConfigValue("min.insync.replicas", "2"), undefined);
    assert.equal(humanConfigValue("retention.ms", null), undefined);
  });
  await t.step("counts with separators", () => assert.equal(formatCount(162021), "162,021"));
});
