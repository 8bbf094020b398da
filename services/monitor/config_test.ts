import assert from "node:assert/strict";
import { ConfigError } from "../../shared/core/config.ts";
import { DEFAULT_SETTINGS, monitorSettings } from "./config.ts";

Deno.test("monitorSettings - defaults and overrides", async (t) => {
  await t.step("nothing set: 5 s for 6 h, 1 min for 7 days, a 1-min window", () => {
    assert.deepEqual(monitorSettings({}), DEFAULT_SETTINGS);
  });
  await t.step("durations in any unit", () => {
    const s = monitorSettings({
      MONITOR_SAMPLE_INTERVAL: "1s",
      MONITOR_FINE_RETENTION: "10m",
      MONITOR_COARSE_RESOLUTION: "10s",
      MONITOR_COARSE_RETENTION: "1d",
      MONITOR_STATUS_WINDOW: "5s",
      MONITOR_TOPIC_REFRESH: "2s",
    });
    assert.deepEqual(s, {
      sampleMs: 1_000,
      fineRetentionMs: 600_000,
      coarseMs: 10_000,
      coarseRetentionMs: 86_400_000,
      windowMs: 5_000,
      topicRefreshMs: 2_000,
    });
  });
});

Deno.test("monitorSettings - a wrong value names the variable", async (t) => {
  const problems = (env: Record<string, string>) => {
    try {
      monitorSettings(env);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.problems.join("\n");
    }
    assert.fail("expected a ConfigError");
  };
  await t.step("not a duration", () => {
    assert.match(
      problems({ MONITOR_SAMPLE_INTERVAL: "fast" }),
      /^MONITOR_SAMPLE_INTERVAL: .*"fast"/,
    );
  });
  await t.step("inconsistent", () => {
    assert.match(
      problems({ MONITOR_SAMPLE_INTERVAL: "7s" }),
      /MONITOR_COARSE_RESOLUTION: expected a multiple/,
    );
    assert.match(
      problems({ MONITOR_COARSE_RETENTION: "1h" }),
      /MONITOR_COARSE_RETENTION: expected at least MONITOR_FINE_RETENTION/,
    );
    assert.match(problems({ MONITOR_STATUS_WINDOW: "5s" }), /MONITOR_STATUS_WINDOW/);
    assert.match(problems({ MONITOR_FINE_RETENTION: "30s" }), /MONITOR_FINE_RETENTION/);
  });
});
