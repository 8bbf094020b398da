/**
 * The alerts database's rules, alerts and history: the rules as last
 * applied (so a change of alerts.txt is told apart from a restart), each
 * pending or firing alert, and every event (fired, repeated, resolved,
 * silenced, a test, rules applied), newest kept up to HISTORY_LIMIT.
 */
import { type DatabaseSync, statement } from "../../shared/sqlite/sqlite.ts";
import type { AlertRule } from "./rules/rule.ts";
import type { AlertState } from "./state_machine.ts";

/** Most events kept; older ones are removed. */
export const HISTORY_LIMIT = 10_000;

/** What applying the rules changed, by rule name. */
export interface AppliedRules {
  added: string[];
  changed: string[];
  removed: string[];
  unchanged: number;
}

function definition(rule: AlertRule): string {
  const { line: _line, ...rest } = rule;
  return JSON.stringify(rest);
}

/** Stores `rules` as the current ones; says what changed since the last time. */
export function applyRules(
  db: DatabaseSync,
  rules: readonly AlertRule[],
  now: number,
): AppliedRules {
  const stored = new Map(
    (statement(db, "SELECT name, definition FROM rules").all() as {
      name: string;
      definition: string;
    }[])
      .map((r) => [r.name, r.definition]),
  );
  const result: AppliedRules = { added: [], changed: [], removed: [], unchanged: 0 };
  const upsert = statement(
    db,
    `INSERT INTO rules (name, kind, line, definition, applied_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, line = excluded.line,
       definition = excluded.definition, applied_at = excluded.applied_at`,
  );
  for (const rule of rules) {
    const text = definition(rule);
    const before = stored.get(rule.name);
    if (before === undefined) result.added.push(rule.name);
    else if (before !== text) result.changed.push(rule.name);
    else result.unchanged++;
    if (before !== text) upsert.run(rule.name, rule.kind, rule.line, text, now);
    stored.delete(rule.name);
  }
  for (const name of stored.keys()) {
    result.removed.push(name);
    statement(db, "DELETE FROM rules WHERE name = ?").run(name);
  }
  return result;
}

type Row = Record<string, unknown>;

function alertOf(r: Row): AlertState {
  return {
    rule: String(r.rule),
    instance: String(r.instance),
    state: r.state as AlertState["state"],
    since: Number(r.since),
    firedAt: r.fired_at === null ? null : Number(r.fired_at),
    episode: r.episode === null ? null : Number(r.episode),
    summary: String(r.summary),
    details: JSON.parse(String(r.details)),
    notified: Number(r.notified) === 1,
    lastSentAt: r.last_sent_at === null ? null : Number(r.last_sent_at),
    repeats: Number(r.repeats),
  };
}

/** The alerts of `rule` (every rule's when undefined), by rule and instance. */
export function listAlerts(db: DatabaseSync, rule?: string): AlertState[] {
  const rows = rule === undefined
    ? statement(db, "SELECT * FROM alerts ORDER BY rule, instance").all()
    : statement(db, "SELECT * FROM alerts WHERE rule = ? ORDER BY instance").all(rule);
  return (rows as Row[]).map(alertOf);
}

/** Writes `alert` (checked at `now`). */
export function saveAlert(db: DatabaseSync, alert: AlertState, now: number): void {
  statement(
    db,
    `INSERT INTO alerts (rule, instance, state, since, fired_at, episode, summary, details,
       notified, last_sent_at, repeats, checked_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (rule, instance) DO UPDATE SET state = excluded.state, since = excluded.since,
       fired_at = excluded.fired_at, episode = excluded.episode, summary = excluded.summary,
       details = excluded.details, notified = excluded.notified,
       last_sent_at = excluded.last_sent_at, repeats = excluded.repeats,
       checked_at = excluded.checked_at`,
  ).run(
    alert.rule,
    alert.instance,
    alert.state,
    alert.since,
    alert.firedAt,
    alert.episode,
    alert.summary,
    JSON.stringify(alert.details),
    alert.notified ? 1 : 0,
    alert.lastSentAt,
    alert.repeats,
    now,
  );
}

/** Removes an alert (it resolved, or never fired). */
export function deleteAlert(db: DatabaseSync, rule: string, instance: string): void {
  statement(db, "DELETE FROM alerts WHERE rule = ? AND instance = ?").run(rule, instance);
}

/** One event of the history. */
export interface AlertEvent {
  id: number;
  at: number;
  rule: string;
  instance: string;
  /** `firing`, `repeat`, `resolved`, `silenced`, `test`, `rules`. */
  event: string;
  episode: number | null;
  summary: string;
  details: Record<string, unknown> | null;
}

/** Appends an event; returns its id. */
export function addEvent(db: DatabaseSync, event: Omit<AlertEvent, "id">): number {
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO events (at, rule, instance, event, episode, summary, details)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    event.at,
    event.rule,
    event.instance,
    event.event,
    event.episode,
    event.summary,
    event.details === null ? null : JSON.stringify(event.details),
  );
  return Number(lastInsertRowid);
}

/** Sets the episode of an event (a firing event is its own episode). */
export function setEpisode(db: DatabaseSync, id: number, episode: number): void {
  statement(db, "UPDATE events SET episode = ? WHERE id = ?").run(episode, id);
}

/** Events newest first, below `before` (an id), at most `limit`, of `rule` when given. */
export function listEvents(
  db: DatabaseSync,
  options: { limit?: number; before?: number; rule?: string } = {},
): AlertEvent[] {
  const rows = statement(
    db,
    `SELECT * FROM events WHERE id < ? AND (? IS NULL OR rule = ?) ORDER BY id DESC LIMIT ?`,
  ).all(
    options.before ?? Number.MAX_SAFE_INTEGER,
    options.rule ?? null,
    options.rule ?? null,
    options.limit ?? 100,
  ) as Row[];
  return rows.map((r) => ({
    id: Number(r.id),
    at: Number(r.at),
    rule: String(r.rule),
    instance: String(r.instance),
    event: String(r.event),
    episode: r.episode === null ? null : Number(r.episode),
    summary: String(r.summary),
    details: r.details === null ? null : JSON.parse(String(r.details)),
  }));
}

/** Keeps the newest HISTORY_LIMIT events (and deliveries). */
export function pruneHistory(db: DatabaseSync, limit = HISTORY_LIMIT): void {
  for (const table of ["events", "deliveries"]) {
    statement(
      db,
      `DELETE FROM ${table} WHERE id <= (SELECT id FROM ${table} ORDER BY id DESC LIMIT 1 OFFSET ?)`,
    ).run(limit);
  }
}
