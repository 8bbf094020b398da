/**
 * The command line every sample producer CLI shares: `--count N` (plus
 * options of its own that only go with it), `--interactive` (the default)
 * or `--help`. Each problem is one clear sentence.
 */
import { parseArgs } from "node:util";

/** The most messages one `--count` may ask for. */
export const MAX_PRODUCER_COUNT = 10_000_000;

/** What was asked for; `options` holds the CLI's own options, raw. */
export type ProducerCliMode<K extends string> =
  | { mode: "help" }
  | { mode: "interactive" }
  | { mode: "sample"; count: number; options: Partial<Record<K, string>> };

/** `raw` as a whole number from 1 to `max`, or an Error naming `--name`. */
export function wholeNumberOption(name: string, raw: string, max: number): number {
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) {
    throw new Error(
      `--${name} expects a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/**
 * Parses the command line; `own` names the CLI's string options that only
 * make sense with `--count`. Throws an Error whose message says what is wrong.
 */
export function parseProducerCli<K extends string>(
  args: string[],
  own: readonly K[],
): ProducerCliMode<K> {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        count: { type: "string" },
        interactive: { type: "boolean" },
        help: { type: "boolean", short: "h" },
        ...Object.fromEntries(own.map((name) => [name, { type: "string" as const }])),
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
  const options: Partial<Record<K, string>> = {};
  for (const name of own) {
    if (values[name] !== undefined) options[name] = values[name] as string;
  }
  if (values.count === undefined) {
    const stray = own.find((name) => options[name] !== undefined);
    if (stray) throw new Error(`--${stray} goes with --count N`);
    return { mode: "interactive" };
  }
  return {
    mode: "sample",
    count: wholeNumberOption("count", values.count as string, MAX_PRODUCER_COUNT),
    options,
  };
}
