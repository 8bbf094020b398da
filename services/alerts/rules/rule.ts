/**
 * An alert rule as alerts.txt declares it (rules_file.ts parses it): its
 * name, what it watches (its kind and what each kind matches), how long a
 * condition must hold before it fires, how often a firing alert is sent
 * again, and where it goes besides the default webhooks.
 */

/** What a rule watches. */
export type RuleKind = "lag" | "status" | "dlq" | "consumer" | "partitions" | "broker";

/** Every kind, in the order the file's documentation lists them. */
export const RULE_KINDS: readonly RuleKind[] = [
  "lag",
  "status",
  "dlq",
  "consumer",
  "partitions",
  "broker",
];

/** How bad a firing alert is (in the notification). */
export type Severity = "warning" | "critical";

/** A webhook: where and in which body (`json`, Freshet's; `slack`, Slack's incoming webhooks). */
export interface Webhook {
  url: string;
  format: "json" | "slack";
}

/** What every rule has. */
interface RuleBase {
  name: string;
  /** Line of alerts.txt. */
  line: number;
  /** How long the condition must hold before the alert fires. */
  forMs: number;
  /** A firing alert is sent again this often (0: never). */
  repeatMs: number;
  severity: Severity;
  /** Webhooks of this rule, besides FRESHET_ALERT_WEBHOOK_URL. */
  webhooks: Webhook[];
}

/** A group's lag in time above a target; with an objective, the group's error budget. */
export interface LagRule extends RuleBase {
  kind: "lag";
  /** Glob over group names. */
  group: string;
  /** The target: at most this far behind. */
  aboveMs: number;
  /** The share of the time the group must be within the target (0.99). */
  objective: number;
  /** Over how much of the monitor's history the budget is counted. */
  windowMs: number;
}

/** A group whose Burrow-style status is one of these. */
export interface StatusRule extends RuleBase {
  kind: "status";
  group: string;
  statuses: string[];
}

/** Dead letters arriving on a dead-letter topic; resolved once none came for `quietMs`. */
export interface DlqRule extends RuleBase {
  kind: "dlq";
  /** Glob over dead-letter topics (the console's conventions: `.dlq`, `.DLT`, `-dlq` …). */
  topic: string;
  quietMs: number;
}

/** A consumer of the server that failed, is (re)starting, retrying or silent. */
export interface ConsumerRule extends RuleBase {
  kind: "consumer";
  consumer: string;
  states: ("failed" | "restarting" | "retrying" | "stale")[];
}

/** Under-replicated or offline partitions. */
export interface PartitionsRule extends RuleBase {
  kind: "partitions";
  topic: string;
  problems: ("under-replicated" | "offline")[];
}

/** The cluster unreachable, or a broker seen before gone from it. */
export interface BrokerRule extends RuleBase {
  kind: "broker";
  /** A broker missing for longer than this is forgotten (decommissioned). */
  forgetMs: number;
}

/** One rule. */
export type AlertRule =
  | LagRule
  | StatusRule
  | DlqRule
  | ConsumerRule
  | PartitionsRule
  | BrokerRule;

/** Whether `name` matches `glob` (`*` any characters; anything else literal). */
export function globMatches(glob: string, name: string): boolean {
  const pattern = glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(name);
}

/**
 * Whether `name` matches `glob` as written or, under a topic prefix, with
 * the prefix taken off (so `orders.*` matches `<prefix>orders.created`).
 */
export function matchesScoped(glob: string, name: string, prefix: string): boolean {
  if (globMatches(glob, name)) return true;
  return prefix !== "" && name.startsWith(prefix) && globMatches(glob, name.slice(prefix.length));
}
