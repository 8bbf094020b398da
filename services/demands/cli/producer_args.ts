/**
 * The demands producer CLI's command line: random demands (`--count N`,
 * optionally paced with `--rate R` messages per second) or the interactive
 * mode. Each problem is one clear sentence; nothing here talks to Kafka.
 */
import { parseProducerCli } from "../../../shared/cli/producer_args.ts";

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

const MAX_RATE = 1_000_000;

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
  const parsed = parseProducerCli(args, ["rate"]);
  if (parsed.mode !== "sample") return parsed;
  const { rate: rawRate } = parsed.options;
  return {
    mode: "sample",
    count: parsed.count,
    ...(rawRate === undefined ? {} : { ratePerSecond: rate(rawRate) }),
  };
}
