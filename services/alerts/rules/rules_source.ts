/**
 * The rules in force: alerts.txt as read at start (a bad file stops the
 * server, naming its lines) and read again whenever it changes; a file
 * that turns bad while the server runs keeps the last good rules, and the
 * problem is shown on /alerts until it is fixed.
 */
import { createLogger } from "../../../shared/core/log.ts";
import type { AlertRule } from "./rule.ts";
import { parseRules, RulesFileError } from "./rules_file.ts";

const log = createLogger("alerts");

/** The rules, and what is wrong with the file now, if anything. */
export interface RulesSource {
  rules(): readonly AlertRule[];
  /** The file's problems since it last changed, or undefined. */
  problem(): string | undefined;
  /** Where the rules come from (a path, or `given` for rules handed in). */
  origin: string;
}

/** Rules given as text (tests), never read again. */
export function fixedRules(text: string): RulesSource {
  const rules = parseRules(text);
  return { rules: () => rules, problem: () => undefined, origin: "given" };
}

/** Rules of `file`, read now (throws RulesFileError) and again when its modification time changes. */
export function fileRules(file: URL | string): RulesSource {
  const stamp = () => {
    try {
      return Deno.statSync(file).mtime?.getTime() ?? 0;
    } catch {
      return -1;
    }
  };
  const read = () => {
    try {
      return parseRules(Deno.readTextFileSync(file));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return [];
      throw error;
    }
  };
  let seen = stamp();
  let rules = read();
  let problem: string | undefined;
  return {
    origin: file instanceof URL ? decodeURIComponent(file.pathname) : file,
    rules() {
      const now = stamp();
      if (now !== seen) {
        seen = now;
        try {
          rules = read();
          problem = undefined;
          log.info("alerts.txt read again", { rules: rules.length });
        } catch (error) {
          problem = error instanceof RulesFileError ? error.message : String(error);
          log.error("alerts.txt has problems; the rules read before stay", { problem });
        }
      }
      return rules;
    },
    problem: () => problem,
  };
}
