/**
 * What `/alerts` and `GET /api/alerts` show: every rule with its line, what
 * it watches, its alerts (pending or firing, and whether a silence holds
 * them back), the rules file's problems, how the last evaluation went,
 * silences, the newest deliveries (webhook URLs shown without their path:
 * Slack's carry a secret) and the history.
 */
import { formatDuration } from "../../monitor/mod.ts";
import { type AlertEvent, listAlerts, listEvents } from "../alert_store.ts";
import type { EvaluationReport } from "../engine.ts";
import { type Delivery, deliveryCounts, listDeliveries } from "../notify/deliveries.ts";
import type { AlertRule } from "../rules/rule.ts";
import { activeSilences, type Silence, silenceFor } from "../silences.ts";
import type { AlertState } from "../state_machine.ts";
import { redactUrl } from "./alert_actions.ts";
import type { AlertsWeb } from "./alerts_part.ts";

/** A rule and its alerts. */
export interface RuleRow {
  name: string;
  kind: string;
  line: number;
  severity: string;
  /** What it watches, in words. */
  watches: string;
  forMs: number;
  repeatMs: number;
  webhooks: string[];
  /** `firing` if any alert fires, `pending` if one waits, else `ok`. */
  state: "ok" | "pending" | "firing";
  alerts: (AlertState & { silencedBy: number | null })[];
}

/** The whole page's data. */
export interface AlertsOverview {
  rules: RuleRow[];
  /** Where the rules come from, and what is wrong with the file now. */
  origin: string;
  problem?: string;
  evaluating: boolean;
  intervalMs: number;
  last?: EvaluationReport | { at: number; error: string };
  webhooks: string[];
  silences: Silence[];
  deliveries: (Omit<Delivery, "body">)[];
  pendingDeliveries: number;
  failedDeliveries: number;
  history: AlertEvent[];
}

function watches(rule: AlertRule): string {
  switch (rule.kind) {
    case "lag":
      return `group ${rule.group}: lag in time above ${formatDuration(rule.aboveMs)}${
        rule.objective > 0
          ? `; objective ${+(rule.objective * 100).toFixed(4)} % of ${
            formatDuration(rule.windowMs)
          }`
          : ""
      }`;
    case "status":
      return `group ${rule.group}: status ${rule.statuses.join(", ")}`;
    case "dlq":
      return `dead letters on ${rule.topic}; resolved after ${formatDuration(rule.quietMs)} quiet`;
    case "consumer":
      return `consumer ${rule.consumer}: ${rule.states.join(", ")}`;
    case "partitions":
      return `topics ${rule.topic}: ${rule.problems.join(", ")} partitions`;
    case "broker":
      return `the cluster unreachable, a broker gone (forgotten after ${
        formatDuration(rule.forgetMs)
      })`;
  }
}

/** The overview of `part` now. */
export function alertsOverview(
  part: AlertsWeb,
  options: { historyLimit?: number } = {},
): AlertsOverview {
  const db = part.db();
  const now = Date.now();
  const silences = activeSilences(db, now);
  const byRule = new Map<string, AlertState[]>();
  for (const a of listAlerts(db)) byRule.set(a.rule, [...(byRule.get(a.rule) ?? []), a]);
  const rules = part.rules.rules().map((rule): RuleRow => {
    const alerts = (byRule.get(rule.name) ?? []).map((a) => ({
      ...a,
      silencedBy: silenceFor(silences, a.rule, a.instance)?.id ?? null,
    }));
    return {
      name: rule.name,
      kind: rule.kind,
      line: rule.line,
      severity: rule.severity,
      watches: watches(rule),
      forMs: rule.forMs,
      repeatMs: rule.repeatMs,
      webhooks: rule.webhooks.map((w) => redactUrl(w.url)),
      state: alerts.some((a) => a.state === "firing")
        ? "firing"
        : alerts.length > 0
        ? "pending"
        : "ok",
      alerts,
    };
  });
  const counts = deliveryCounts(db);
  return {
    rules,
    origin: part.rules.origin,
    problem: part.rules.problem(),
    evaluating: part.evaluating,
    intervalMs: part.intervalMs,
    last: part.engine.last,
    webhooks: part.webhooks.map((w) => redactUrl(w.url)),
    silences,
    deliveries: listDeliveries(db, { limit: 20 }).map(({ body: _body, ...d }) => ({
      ...d,
      url: redactUrl(d.url),
    })),
    pendingDeliveries: counts.pending,
    failedDeliveries: counts.failed,
    history: listEvents(db, { limit: options.historyLimit ?? 100 }),
  };
}
