/**
 * The monitor's settings, from the environment: how often it samples, how
 * long it keeps each resolution, the window of the status rules and how
 * often it looks for new topics. Each is a duration (`5s`, `1m`, `6h`,
 * `7d`); a wrong or inconsistent value names the variable (exit code 2).
 */
import { z } from "zod";
import { ConfigError, parseEnv } from "../../shared/core/config.ts";
import { parseDuration } from "./duration.ts";

/** Variables the monitor reads (besides the consumer and Kafka ones). */
export const MONITOR_ENV = [
  "MONITOR_SAMPLE_INTERVAL",
  "MONITOR_FINE_RETENTION",
  "MONITOR_COARSE_RESOLUTION",
  "MONITOR_COARSE_RETENTION",
  "MONITOR_STATUS_WINDOW",
  "MONITOR_TOPIC_REFRESH",
] as const;

/** The monitor's settings, in milliseconds. */
export interface MonitorSettings {
  /** Lag sampling period, and the finest resolution of stored series (default 5 s). */
  sampleMs: number;
  /** How long samples are kept at the finest resolution (default 6 h). */
  fineRetentionMs: number;
  /** Resolution older samples are folded into (default 1 min). */
  coarseMs: number;
  /** How long folded samples are kept (default 7 days). */
  coarseRetentionMs: number;
  /** Sliding window of the status rules (default 1 min). */
  windowMs: number;
  /** How often the topic list is read again (default 10 s: a new topic is counted within 30 s). */
  topicRefreshMs: number;
}

/** The defaults, as the README documents them. */
export const DEFAULT_SETTINGS: MonitorSettings = {
  sampleMs: 5_000,
  fineRetentionMs: 6 * 3_600_000,
  coarseMs: 60_000,
  coarseRetentionMs: 7 * 86_400_000,
  windowMs: 60_000,
  topicRefreshMs: 10_000,
};

const duration = z.string().transform((value, ctx) => {
  const ms = parseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: "custom",
      message: "expected a duration such as 500ms, 5s, 1m, 6h or 7d",
    });
    return z.NEVER;
  }
  return ms;
});

const schema = z.object({
  MONITOR_SAMPLE_INTERVAL: duration.optional(),
  MONITOR_FINE_RETENTION: duration.optional(),
  MONITOR_COARSE_RESOLUTION: duration.optional(),
  MONITOR_COARSE_RETENTION: duration.optional(),
  MONITOR_STATUS_WINDOW: duration.optional(),
  MONITOR_TOPIC_REFRESH: duration.optional(),
}).catchall(z.string().optional());

/** Settings from `env`, checked for consistency. */
export function monitorSettings(env: Record<string, string | undefined>): MonitorSettings {
  const parsed = parseEnv(schema, env);
  const d = DEFAULT_SETTINGS;
  const settings: MonitorSettings = {
    sampleMs: parsed.MONITOR_SAMPLE_INTERVAL ?? d.sampleMs,
    fineRetentionMs: parsed.MONITOR_FINE_RETENTION ?? d.fineRetentionMs,
    coarseMs: parsed.MONITOR_COARSE_RESOLUTION ?? d.coarseMs,
    coarseRetentionMs: parsed.MONITOR_COARSE_RETENTION ?? d.coarseRetentionMs,
    windowMs: parsed.MONITOR_STATUS_WINDOW ?? d.windowMs,
    topicRefreshMs: parsed.MONITOR_TOPIC_REFRESH ?? d.topicRefreshMs,
  };
  const problems: string[] = [];
  if (settings.coarseMs % settings.sampleMs !== 0) {
    problems.push("MONITOR_COARSE_RESOLUTION: expected a multiple of MONITOR_SAMPLE_INTERVAL");
  }
  if (settings.fineRetentionMs < settings.coarseMs) {
    problems.push("MONITOR_FINE_RETENTION: expected at least MONITOR_COARSE_RESOLUTION");
  }
  if (settings.coarseRetentionMs < settings.fineRetentionMs) {
    problems.push("MONITOR_COARSE_RETENTION: expected at least MONITOR_FINE_RETENTION");
  }
  if (settings.windowMs < 2 * settings.sampleMs) {
    problems.push("MONITOR_STATUS_WINDOW: expected at least two MONITOR_SAMPLE_INTERVALs");
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return settings;
}
