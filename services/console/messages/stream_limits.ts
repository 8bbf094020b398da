/**
 * Fair shares of the console's streams (searches, live tails, and the scans
 * of operator actions such as a redrive), from the environment:
 *
 * - `FRESHET_STREAMS_TOTAL` (default 8): streams at once, in all;
 * - `FRESHET_STREAMS_PER_USER` (default 4): searches and tails one user may
 *   hold (an operator action is not counted against its user);
 * - `FRESHET_STREAMS_OPERATOR_RESERVED` (default 2): slots only operators
 *   may take, so viewers' tails never starve a redrive or an operator's
 *   search;
 * - `FRESHET_TAIL_MAX_MINUTES` (default 30): a live tail ends after this
 *   long (the page and the stream show the time left).
 */
import { z } from "zod";
import { ConfigError, parseEnv, positiveInt } from "../../../shared/core/config.ts";

/** Variables `loadStreamLimits` reads. */
export const STREAM_ENV_NAMES = [
  "FRESHET_STREAMS_TOTAL",
  "FRESHET_STREAMS_PER_USER",
  "FRESHET_STREAMS_OPERATOR_RESERVED",
  "FRESHET_TAIL_MAX_MINUTES",
] as const;

/** The limits of a `MessageReader`. */
export interface StreamLimits {
  total: number;
  perUser: number;
  operatorReserved: number;
  tailMaxMs: number;
}

/** The defaults, documented in the README. */
export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  total: 8,
  perUser: 4,
  operatorReserved: 2,
  tailMaxMs: 30 * 60_000,
};

const schema = z.object({
  FRESHET_STREAMS_TOTAL: positiveInt.default(DEFAULT_STREAM_LIMITS.total),
  FRESHET_STREAMS_PER_USER: positiveInt.default(DEFAULT_STREAM_LIMITS.perUser),
  FRESHET_STREAMS_OPERATOR_RESERVED: z.coerce.number({ error: "expected an integer >= 0" })
    .int("expected an integer >= 0").min(0, "expected an integer >= 0")
    .default(DEFAULT_STREAM_LIMITS.operatorReserved),
  FRESHET_TAIL_MAX_MINUTES: positiveInt.max(24 * 60, "expected at most 1440 minutes")
    .default(DEFAULT_STREAM_LIMITS.tailMaxMs / 60_000),
});

/** The limits from `env`; a ConfigError names a malformed or inconsistent value. */
export function loadStreamLimits(env: Record<string, string | undefined>): StreamLimits {
  const parsed = parseEnv(schema, env);
  const limits = {
    total: parsed.FRESHET_STREAMS_TOTAL,
    perUser: parsed.FRESHET_STREAMS_PER_USER,
    operatorReserved: parsed.FRESHET_STREAMS_OPERATOR_RESERVED,
    tailMaxMs: parsed.FRESHET_TAIL_MAX_MINUTES * 60_000,
  };
  checkStreamLimits(limits);
  return limits;
}

/** Throws a ConfigError when the reserved share leaves viewers no slot. */
export function checkStreamLimits(limits: StreamLimits): void {
  if (limits.operatorReserved >= limits.total) {
    throw new ConfigError([
      `FRESHET_STREAMS_OPERATOR_RESERVED: ${limits.operatorReserved} leaves viewers no stream ` +
      `(expected fewer than FRESHET_STREAMS_TOTAL, ${limits.total})`,
    ]);
  }
}
