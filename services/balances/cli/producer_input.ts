/**
 * What a person gives the balances producer CLI: its arguments and, in
 * interactive mode, balances typed at a prompt. Each problem is one clear
 * sentence; nothing here talks to Kafka.
 */
import { parseProducerCli, wholeNumberOption } from "../../../shared/cli/producer_args.ts";

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

/** Parses the command line; throws an Error whose message says what is wrong. */
export function parseProducerArgs(args: string[]): ProducerMode {
  const parsed = parseProducerCli(args, ["accounts"]);
  if (parsed.mode !== "sample") return parsed;
  const { accounts } = parsed.options;
  return {
    mode: "sample",
    count: parsed.count,
    accounts: accounts === undefined ? 10 : wholeNumberOption("accounts", accounts, 1_000_000),
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
