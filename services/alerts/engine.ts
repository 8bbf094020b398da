/**
 * One evaluation of the alert rules: the rules applied (what changed in
 * alerts.txt recorded; a removed rule's alerts resolved), a snapshot read
 * (the monitor's database, the consumers' reports, the cluster's metadata
 * when a rule needs it), then, in one SQLite transaction, each rule's
 * observations stepped through the state machine, events written and
 * their notifications queued for every webhook of the rule. Nothing here
 * waits for a webhook: the delivery loop sends what is queued.
 */
import { type DatabaseSync, transaction } from "../../shared/sqlite/sqlite.ts";
import {
  addEvent,
  type AppliedRules,
  applyRules,
  deleteAlert,
  listAlerts,
  pruneHistory,
  saveAlert,
  setEpisode,
} from "./alert_store.ts";
import { conditionMemory } from "./condition_memory.ts";
import { recordDeadLetters } from "./conditions/dlq_condition.ts";
import { observe } from "./conditions/observe.ts";
import type { Snapshot } from "./conditions/snapshot.ts";
import type { Notification } from "./notify/bodies.ts";
import { enqueue } from "./notify/deliveries.ts";
import type { AlertRule, Webhook } from "./rules/rule.ts";
import { activeSilences, silenceFor } from "./silences.ts";
import { type AlertState, type Observation, step } from "./state_machine.ts";

/** What the engine needs. */
export interface EngineDeps {
  db(): DatabaseSync;
  /** The rules now (alerts.txt as last read). */
  rules(): readonly AlertRule[];
  /** Reads what the rules need. */
  snapshot(rules: readonly AlertRule[], now: number): Promise<Snapshot>;
  /** Webhooks every notification goes to (FRESHET_ALERT_WEBHOOK_URL). */
  webhooks: readonly Webhook[];
  /** The alerts page's public URL, put in notifications. */
  link?: string;
}

/** How the last evaluation went. */
export interface EvaluationReport {
  at: number;
  ms: number;
  applied: AppliedRules;
  /** Rules that could not observe (their source unreadable), with the alerts kept as they were. */
  unknown: string[];
  /** Notifications queued. */
  queued: number;
}

/** Unique webhooks of `rule` (or of none): the defaults, then the rule's own. */
export function webhooksOf(deps: Pick<EngineDeps, "webhooks">, rule?: AlertRule): Webhook[] {
  const all = [...deps.webhooks, ...(rule?.webhooks ?? [])];
  return all.filter((w, i) => all.findIndex((x) => x.url === w.url) === i);
}

/** Evaluates the rules, one evaluation at a time. */
export class AlertsEngine {
  #deps: EngineDeps;
  #running: Promise<EvaluationReport> | undefined;
  /** The last evaluation, or its error. */
  last: EvaluationReport | { at: number; error: string } | undefined;

  constructor(deps: EngineDeps) {
    this.#deps = deps;
  }

  /** Runs one evaluation (or joins the one running). */
  evaluate(now = Date.now()): Promise<EvaluationReport> {
    this.#running ??= this.#evaluate(now).then((report) => {
      this.last = report;
      return report;
    }, (error) => {
      this.last = { at: now, error: (error as Error)?.message ?? String(error) };
      throw error;
    }).finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #evaluate(now: number): Promise<EvaluationReport> {
    const started = performance.now();
    const rules = this.#deps.rules();
    const snapshot = await this.#deps.snapshot(rules, now);
    const db = this.#deps.db();
    let queued = 0;
    const unknown: string[] = [];
    const applied = transaction(db, () => {
      const applied = applyRules(db, rules, now);
      if (applied.added.length + applied.changed.length + applied.removed.length > 0) {
        addEvent(db, {
          at: now,
          rule: "",
          instance: "",
          event: "rules",
          episode: null,
          summary: `alerts.txt applied: ${describeApplied(applied)}`,
          details: { ...applied },
        });
      }
      for (const name of applied.removed) {
        for (const alert of listAlerts(db, name)) {
          queued += this.#record(db, undefined, alert, {
            next: null,
            event: alert.state === "firing" ? "resolved" : undefined,
            send: alert.state === "firing" && alert.notified,
          }, { summary: `rule ${name} was removed from alerts.txt`, now });
        }
      }
      recordDeadLetters(snapshot, conditionMemory(db));
      const silences = activeSilences(db, now);
      for (const rule of rules) {
        const observations = observe(rule, snapshot, conditionMemory(db));
        if (!observations) {
          unknown.push(rule.name);
          continue;
        }
        const existing = new Map(listAlerts(db, rule.name).map((a) => [a.instance, a]));
        const gone = (instance: string, summary: string): Observation => ({
          instance,
          active: false,
          summary,
        });
        const all = [
          ...observations,
          ...[...existing.keys()].filter((i) => !observations.some((o) => o.instance === i))
            .map((i) => gone(i, `${i} is no longer seen`)),
        ];
        for (const observation of all) {
          const previous = existing.get(observation.instance);
          const silenced = silenceFor(silences, rule.name, observation.instance) !== undefined;
          const s = step(previous, observation, rule, now, silenced);
          queued += this.#record(db, rule, previous, s, {
            summary: observation.summary,
            details: observation.details,
            instance: observation.instance,
            now,
          });
        }
      }
      return applied;
    });
    if (Math.random() < 0.02) pruneHistory(db);
    return { at: now, ms: Math.round(performance.now() - started), applied, unknown, queued };
  }

  /** Stores one step of an alert; returns the notifications it queued. */
  #record(
    db: DatabaseSync,
    rule: AlertRule | undefined,
    previous: AlertState | undefined,
    s: ReturnType<typeof step>,
    seen: { summary: string; details?: Record<string, unknown>; instance?: string; now: number },
  ): number {
    const ruleName = rule?.name ?? previous!.rule;
    const instance = seen.instance ?? previous!.instance;
    const next = s.next && { ...s.next, rule: ruleName, instance };
    if (!next && previous) deleteAlert(db, ruleName, instance);
    let queued = 0;
    if (s.event) {
      const episode = next?.episode ?? previous?.episode ?? null;
      const id = addEvent(db, {
        at: seen.now,
        rule: ruleName,
        instance,
        event: s.event,
        episode,
        summary: seen.summary,
        details: seen.details ?? null,
      });
      if (next && next.episode === null) {
        next.episode = id;
        setEpisode(db, id, id);
      }
      if (s.send) {
        const resolved = s.event === "resolved";
        const notification: Notification = {
          status: resolved ? "resolved" : "firing",
          rule: ruleName,
          kind: rule?.kind ?? "removed",
          instance,
          severity: rule?.severity ?? "warning",
          summary: seen.summary,
          details: seen.details ?? {},
          startsAt: isoOrNull(next?.firedAt ?? previous?.firedAt ?? null),
          endsAt: resolved ? new Date(seen.now).toISOString() : null,
          at: new Date(seen.now).toISOString(),
          dedupKey: `${ruleName}/${instance}/${next?.episode ?? episode ?? id}`,
          repeat: s.event === "repeat" ? next!.repeats : 0,
          link: this.#deps.link,
        };
        queued = enqueue(db, id, notification, webhooksOf(this.#deps, rule), seen.now).length;
      }
    }
    if (next) saveAlert(db, next, seen.now);
    return queued;
  }

  /** Queues a test notification to every webhook (the defaults and every rule's); returns the delivery ids. */
  sendTest(user: string | null, now = Date.now()): number[] {
    const db = this.#deps.db();
    return transaction(db, () => {
      const webhooks = webhooksOf(this.#deps);
      for (const rule of this.#deps.rules()) {
        for (const w of rule.webhooks) if (!webhooks.some((x) => x.url === w.url)) webhooks.push(w);
      }
      const summary = `a test notification from Freshet${user ? `, sent by ${user}` : ""}`;
      const id = addEvent(db, {
        at: now,
        rule: "test",
        instance: "test",
        event: "test",
        episode: null,
        summary,
        details: { webhooks: webhooks.length },
      });
      return enqueue(
        db,
        id,
        {
          status: "test",
          rule: "test",
          kind: "test",
          instance: "test",
          severity: "warning",
          summary,
          details: {},
          startsAt: null,
          endsAt: null,
          at: new Date(now).toISOString(),
          dedupKey: `test/${id}`,
          repeat: 0,
          link: this.#deps.link,
        },
        webhooks,
        now,
      );
    });
  }
}

function isoOrNull(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}

function describeApplied(applied: AppliedRules): string {
  const parts = [
    applied.added.length > 0 ? `added ${applied.added.join(", ")}` : "",
    applied.changed.length > 0 ? `changed ${applied.changed.join(", ")}` : "",
    applied.removed.length > 0 ? `removed ${applied.removed.join(", ")}` : "",
  ].filter((p) => p !== "");
  return `${parts.join("; ")} (${applied.unchanged} unchanged)`;
}
