/**
 * What a person gives the balances producer CLI: its arguments and, in
 * interactive mode, balances typed at a prompt. Each problem is one clear
 * sentence; nothing here talks to Kafka.
 */
import { parseArgs } from "node:util";

/** How to call the producer. */
export const PRODUCER_USAGE =
  `Produce account balances to the compacted topic contas, keyed by account id.

  deno task produce:balances                  interactive: asks for an account id and a balance
                                              (an empty balance sends a tombstone: deletes the account)
  deno task produce:balances --count 1000     1000 random balances over 10 accounts
  deno task produce:balances --count 1000 --accounts 500

Options:
  --count N       send N random balances, then exit
  --accounts M    spread them over accounts 1..M (default 10; fewer accounts, more overwrites)
  --interactive   ask at the prompt (the default without --count)
  --help          this text`;

/** The producer's mode. */
export type ProducerMode =
  | { mode: "help" }
  | { mode: "interactive" }
  | { mode: "sample"; count: number; accounts: number };

const MAX_COUNT = 10_000_000;

function positive(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) < 1 || Number(raw) > max) {
    throw new Error(
      `--${name} expects a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`,
    );
  }
  return Number(raw);
}

/** Parses the command line; throws an Error whose message says what is wrong. */
export function parseProducerArgs(args: string[]): ProducerMode {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        count: { type: "string" },
        accounts: { type: "string" },
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
    if (values.accounts !== undefined) throw new Error("--accounts goes with --count N");
    return { mode: "interactive" };
  }
  return {
    mode: "sample",
    count: positive("count", values.count, 0, MAX_COUNT),
    accounts: positive("accounts", values.accounts, 10, 1_000_000),
  };
}

/**
 * A balance typed at the prompt: `150`, `-20.5` or `150,75` (a decimal
 * comma is accepted); empty means "delete the account" (null).
 */
export function parseSaldoInput(input: string): { ok: true; saldo: number | null } | {
  ok: false;
  error: string;
} {
  const text = input.trim();
  if (text === "") return { ok: true, saldo: null };
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(text)) {
    return {
      ok: false,
      error: `not a number: ${
        JSON.stringify(text)
      } (type e.g. 150.75, or leave it empty to delete the account)`,
    };
  }
  const saldo = Number(text.replace(",", "."));
  if (Math.abs(saldo) >= 1e15) {
    return { ok: false, error: `too large: ${text} (at most 15 digits before the decimal point)` };
  }
  return { ok: true, saldo };
}
