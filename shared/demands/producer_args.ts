/**
 * The demands producer CLI's command line: random demands (`--count N`,
 * optionally paced with `--rate R` messages per second) or the interactive
 * mode. Each problem is one clear sentence; nothing here talks to Kafka.
 */
import { parseArgs } from "node:util";

/** How to call the producer. */
export const DEMANDS_PRODUCER_USAGE =
  `Produce demands to demands.created (as the web principal), keyed by demand id.

  deno task produce:demands                        interactive: asks for each field of a demand
  deno task produce:demands --count 1000           1000 random demands, as fast as Kafka takes them
  deno task produce:demands --count 100 --rate 10  100 random demands, 10 per second

Options:
  --count N       send N random demands, then exit (progress every second)
  --rate R        at most R demands per second (with --count; decimals allowed, e.g. 0.5)
  --interactive   ask at the prompt (the default without --count)
  --help          this text`;

/** The producer's mode. */
export type DemandsProducerMode =
  | { mode: "help" }
  | { mode: "interactive" }
  | { mode: "sample"; count: number; ratePerSecond?: number };

const MAX_COUNT = 10_000_000;
const MAX_RATE = 1_000_000;

function count(raw: string): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > MAX_COUNT) {
    throw new Error(
      `--count expects a whole number from 1 to ${MAX_COUNT}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

function rate(raw: string): number {
  const value = /^\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
  if (!(value > 0 && value <= MAX_RATE)) {
    throw new Error(
      `--rate expects messages per second, a number above 0 and at most ${MAX_RATE}, got ${
        JSON.stringify(raw)
      }`,
    );
  }
  return value;
}

/** Parses the command line; throws an Error whose message says what is wrong. */
export function parseDemandsProducerArgs(args: string[]): DemandsProducerMode {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        count: { type: "string" },
        rate: { type: "string" },
        interactive: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error((error as Error).message.replace(/\. To specify.*$/s, ""));
  }
  if (values.help) return { mode: "help" };
  if (values.count !== undefined && values.interactive) {
    throw new Error("choose --count N or --interactive, not both");
  }
  if (values.count === undefined) {
    if (values.rate !== undefined) throw new Error("--rate goes with --count N");
    return { mode: "interactive" };
  }
  return {
    mode: "sample",
    count: count(values.count),
    ...(values.rate === undefined ? {} : { ratePerSecond: rate(values.rate) }),
  };
}
