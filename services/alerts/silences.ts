/**
 * Silences: an operator holds back an alert's notifications until a time,
 * with a comment (audited by the route). A silence names a rule (or a
 * pattern with `*`) and an instance (or `*`); it ends at `endsAt` or when
 * expired early. Alerts keep firing and are shown while silenced.
 */
import { type DatabaseSync, statement } from "../../shared/sqlite/sqlite.ts";
import { globMatches } from "./rules/rule.ts";

/** One silence. */
export interface Silence {
  id: number;
  rule: string;
  instance: string;
  comment: string;
  createdBy: string | null;
  createdAt: number;
  endsAt: number;
  /** When it was expired early, or null. */
  expiredAt: number | null;
}

type Row = Record<string, unknown>;

function silenceOf(r: Row): Silence {
  return {
    id: Number(r.id),
    rule: String(r.rule),
    instance: String(r.instance),
    comment: String(r.comment),
    createdBy: r.created_by === null ? null : String(r.created_by),
    createdAt: Number(r.created_at),
    endsAt: Number(r.ends_at),
    expiredAt: r.expired_at === null ? null : Number(r.expired_at),
  };
}

/** Adds a silence; returns it. */
export function addSilence(
  db: DatabaseSync,
  input: Omit<Silence, "id" | "expiredAt">,
): Silence {
  const { lastInsertRowid } = statement(
    db,
    `INSERT INTO silences (rule, instance, comment, created_by, created_at, ends_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  ).run(input.rule, input.instance, input.comment, input.createdBy, input.createdAt, input.endsAt);
  return { ...input, id: Number(lastInsertRowid), expiredAt: null };
}

/** Ends silence `id` now; the silence, or undefined when there is none active of that id. */
export function expireSilence(db: DatabaseSync, id: number, now: number): Silence | undefined {
  const changed = statement(
    db,
    "UPDATE silences SET expired_at = ? WHERE id = ? AND expired_at IS NULL AND ends_at > ?",
  ).run(now, id, now).changes;
  if (Number(changed) !== 1) return undefined;
  return silenceOf(statement(db, "SELECT * FROM silences WHERE id = ?").get(id) as Row);
}

/** Silences in force at `now`. */
export function activeSilences(db: DatabaseSync, now: number): Silence[] {
  return (statement(
    db,
    "SELECT * FROM silences WHERE expired_at IS NULL AND ends_at > ? ORDER BY ends_at",
  ).all(now) as Row[]).map(silenceOf);
}

/** The newest silences, in force or not (at most `limit`). */
export function listSilences(db: DatabaseSync, limit = 50): Silence[] {
  return (statement(db, "SELECT * FROM silences ORDER BY id DESC LIMIT ?").all(limit) as Row[])
    .map(silenceOf);
}

/** The silence among `silences` that holds back `rule`'s alert `instance`, if any. */
export function silenceFor(
  silences: readonly Silence[],
  rule: string,
  instance: string,
): Silence | undefined {
  return silences.find((s) => globMatches(s.rule, rule) && globMatches(s.instance, instance));
}
