/**
 * alerts.txt: the alert rules, reviewed in git like kafka-topics.txt. One
 * rule per line, `name kind key=value ...`; `#` comments; every problem
 * reported at once as `alerts.txt:<line>: <reason>` and nothing applied.
 * The keys each kind takes, and their defaults, are in RULE_KEYS and the
 * file's own header.
 */
import { fieldLines, problemAt, quoted } from "../../../shared/provision/lines.ts";
import { parseDuration } from "../../monitor/mod.ts";
import { type AlertRule, RULE_KINDS, type RuleKind, type Severity, type Webhook } from "./rule.ts";
import { parseWebhook } from "./webhooks.ts";

/** The rules file of the project root. */
export const DEFAULT_RULES_FILE = new URL("../../../alerts.txt", import.meta.url);

/** The file's name in problems. */
export const RULES_FILE_NAME = "alerts.txt";

/** One or more malformed lines of alerts.txt: no rule was applied. */
export class RulesFileError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
    this.name = "RulesFileError";
  }
}

const COMMON = ["for", "repeat", "severity", "webhook"];

/** The keys each kind takes (besides `for`, `repeat`, `severity`, `webhook`), with defaults. */
export const RULE_KEYS: Record<RuleKind, Record<string, string | undefined>> = {
  lag: { group: "*", above: undefined, objective: undefined, window: "7d", for: "1m" },
  status: { group: "*", is: "STALL,STOP,ERROR", for: "0s" },
  dlq: { topic: "*", quiet: "5m", for: "0s" },
  consumer: { consumer: "*", is: "failed,restarting,stale", for: "30s" },
  partitions: { topic: "*", is: "under-replicated,offline", for: "30s" },
  broker: { forget: "1d", for: "15s" },
};

const VALUES: Record<string, readonly string[]> = {
  "status.is": ["OK", "WARN", "REWIND", "STALL", "STOP", "ERROR"],
  "consumer.is": ["failed", "restarting", "retrying", "stale"],
  "partitions.is": ["under-replicated", "offline"],
};

const NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;
const GLOB = /^[A-Za-z0-9._*-]{1,249}$/;

function duration(text: string, zeroOk: boolean): number | undefined {
  if (zeroOk && /^\s*0\s*(ms|s|m|h|d)?\s*$/.test(text)) return 0;
  return parseDuration(text);
}

function objective(text: string): number | undefined {
  const m = /^(\d{1,2}(?:\.\d{1,4})?)%$/.exec(text);
  if (!m) return undefined;
  const share = Number((Number(m[1]) / 100).toFixed(6));
  return share > 0 && share < 1 ? share : undefined;
}

function parseLine(fields: string[], line: number): { rule?: AlertRule; reasons: string[] } {
  const [name, kindText, ...rest] = fields;
  const reasons: string[] = [];
  if (kindText === undefined) {
    return { reasons: [`expected "name kind [key=value ...]" (got ${quoted(fields.join(" "))})`] };
  }
  if (!NAME.test(name)) {
    reasons.push(`rule name ${quoted(name)}: use lowercase letters, digits, ".", "_" and "-"`);
  }
  if (!(RULE_KINDS as readonly string[]).includes(kindText)) {
    return {
      reasons: [...reasons, `kind ${quoted(kindText)}: expected one of ${RULE_KINDS.join(", ")}`],
    };
  }
  const kind = kindText as RuleKind;
  const allowed = { ...Object.fromEntries(COMMON.map((k) => [k, undefined])), ...RULE_KEYS[kind] };
  const given: Record<string, string> = {};
  const webhooks: Webhook[] = [];
  for (const field of rest) {
    const eq = field.indexOf("=");
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (eq <= 0 || value === "") {
      reasons.push(`expected key=value (got ${quoted(field)})`);
    } else if (!(key in allowed)) {
      reasons.push(
        `${kind} rules take ${Object.keys(allowed).join(", ")}; not ${quoted(key)}`,
      );
    } else if (key === "webhook") {
      const parsed = parseWebhook(value);
      if (typeof parsed === "string") reasons.push(`webhook: ${parsed}`);
      else webhooks.push(parsed);
    } else if (key in given) reasons.push(`${key} is given twice`);
    else given[key] = value;
  }
  const get = (key: string) => given[key] ?? allowed[key];
  const durationOf = (key: string, zeroOk: boolean): number => {
    const text = get(key)!;
    const ms = duration(text, zeroOk);
    if (ms === undefined) {
      reasons.push(`${key}: expected a duration such as 30s, 5m, 1h, 7d (got ${quoted(text)})`);
    }
    return ms ?? 0;
  };
  const listOf = (key: string): string[] => {
    const items = get(key)!.split(",").filter((s) => s !== "");
    const known = VALUES[`${kind}.${key}`];
    const unknown = items.filter((i) => !known.includes(i));
    if (items.length === 0 || unknown.length > 0) {
      reasons.push(`${key}: expected some of ${known.join(", ")} (got ${quoted(get(key)!)})`);
    }
    return items;
  };
  const globOf = (key: string): string => {
    const text = get(key)!;
    if (!GLOB.test(text)) {
      reasons.push(`${key}: a name or a pattern with * (got ${quoted(text)})`);
    }
    return text;
  };
  const severityText = given.severity ?? "warning";
  if (severityText !== "warning" && severityText !== "critical") {
    reasons.push(`severity: expected warning or critical (got ${quoted(severityText)})`);
  }
  const base = {
    name,
    line,
    forMs: durationOf("for", true),
    repeatMs: given.repeat === undefined ? 4 * 3_600_000 : durationOf("repeat", true),
    severity: severityText as Severity,
    webhooks,
  };
  let rule: AlertRule;
  switch (kind) {
    case "lag": {
      if (given.above === undefined) reasons.push("lag rules need above=<duration> (the target)");
      const aboveMs = given.above === undefined ? 0 : durationOf("above", false);
      let share = 0;
      if (given.objective !== undefined) {
        share = objective(given.objective) ?? 0;
        if (share === 0) {
          reasons.push(
            `objective: a share of the time such as 99% or 99.9% (got ${quoted(given.objective)})`,
          );
        }
      }
      rule = {
        ...base,
        kind,
        group: globOf("group"),
        aboveMs,
        objective: share,
        windowMs: durationOf("window", false),
      };
      break;
    }
    case "status":
      rule = { ...base, kind, group: globOf("group"), statuses: listOf("is") };
      break;
    case "dlq":
      rule = { ...base, kind, topic: globOf("topic"), quietMs: durationOf("quiet", false) };
      break;
    case "consumer":
      rule = {
        ...base,
        kind,
        consumer: globOf("consumer"),
        states: listOf("is") as ("failed" | "restarting" | "retrying" | "stale")[],
      };
      break;
    case "partitions":
      rule = {
        ...base,
        kind,
        topic: globOf("topic"),
        problems: listOf("is") as ("under-replicated" | "offline")[],
      };
      break;
    case "broker":
      rule = { ...base, kind, forgetMs: durationOf("forget", false) };
      break;
  }
  return reasons.length > 0 ? { reasons } : { rule, reasons };
}

/** Parses the text of a rules file; throws RulesFileError naming every bad line. */
export function parseRules(text: string, fileName = RULES_FILE_NAME): AlertRule[] {
  const rules: AlertRule[] = [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of fieldLines(text)) {
    const { rule, reasons } = parseLine(fields, line);
    for (const reason of reasons) problems.push(problemAt(fileName, line, reason));
    if (!rule) continue;
    const first = seen.get(rule.name);
    if (first !== undefined) {
      problems.push(
        problemAt(fileName, line, `rule ${quoted(rule.name)} is already on line ${first}`),
      );
      continue;
    }
    seen.set(rule.name, line);
    rules.push(rule);
  }
  if (problems.length > 0) throw new RulesFileError(problems);
  return rules;
}

/** Reads and parses a rules file (a missing file is no rule). */
export async function readRules(file: URL | string = DEFAULT_RULES_FILE): Promise<AlertRule[]> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return [];
    throw error;
  }
  return parseRules(text);
}
