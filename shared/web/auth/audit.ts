/**
 * The audit log: who did what to which target, when, from where, and how
 * it ended, for every operator action (and every login; failed ones are
 * aggregated per source, failed_logins.ts). Kept in the console database,
 * pruned by age and count (audit_retention.ts); shown at `/console/audit`
 * and `GET /api/audit`.
 *
 *   audit(ctx, { action: "topic.delete", target: "topic:orders.created", result: "ok" });
 */
import { type DatabaseSync, statement } from "../../sqlite/sqlite.ts";
import type { RouteState } from "../route_types.ts";
import type { WebServices } from "../services.ts";
import { pruneAuditSometimes } from "./audit_retention.ts";
import { consoleDb } from "./console_db.ts";

/** How an action ended: done, failed (`detail` says why), refused, or only previewed. */
export type AuditResult = "ok" | "error" | "refused" | "dry-run";

/** What a route records. */
export interface AuditInput {
  /** Dotted verb, e.g. `topic.create`, `message.produce`, `group.offsets.reset`, `login`. */
  action: string;
  /** What it acted on, e.g. `topic:orders.created`, `group:payments-service-group`. */
  target: string;
  result: AuditResult;
  /** Parameters or the error; an object is stored as JSON. */
  detail?: unknown;
}

/** One entry of the log. */
export interface AuditEntry {
  id: number;
  /** ISO 8601 time. */
  at: string;
  /** The user's name, or null (a failed login). */
  user: string | null;
  role: string | null;
  /** The client's address (`local` in process). */
  client: string | null;
  action: string;
  target: string;
  result: string;
  detail: string | null;
}

function detailText(detail: unknown): string | null {
  if (detail === undefined || detail === null) return null;
  if (typeof detail === "string") return detail;
  if (detail instanceof Error) return detail.message;
  return JSON.stringify(detail);
}

/** Records one action of the request's user. */
export function audit(
  ctx: { state: RouteState; services: Pick<WebServices, "databases" | "auth"> },
  input: AuditInput,
): AuditEntry {
  const db = consoleDb(ctx.services);
  const user = ctx.state.user;
  const at = new Date().toISOString();
  const row = statement(
    db,
    `INSERT INTO audit_log (at, user_name, role, client, action, target, result, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  ).get(
    at,
    user?.name ?? null,
    user?.role ?? null,
    ctx.state.clientAddress ?? null,
    input.action,
    input.target,
    input.result,
    detailText(input.detail),
  );
  pruneAuditSometimes(db, ctx.services.auth.config.audit);
  return {
    id: Number(row!.id),
    at,
    user: user?.name ?? null,
    role: user?.role ?? null,
    client: ctx.state.clientAddress ?? null,
    action: input.action,
    target: input.target,
    result: input.result,
    detail: detailText(input.detail),
  };
}

/** Options of `listAudit`. */
export interface ListAuditOptions {
  /** At most this many entries, newest first (default 100). */
  limit?: number;
  /** Only entries older than this id (the next page). */
  beforeId?: number;
  /** Only this action, or actions under it (`topic` matches `topic.create`). */
  action?: string;
}

/** Entries of the log, newest first. */
export function listAudit(db: DatabaseSync, options: ListAuditOptions = {}): AuditEntry[] {
  const rows = statement(
    db,
    `SELECT id, at, user_name, role, client, action, target, result, detail FROM audit_log
     WHERE id < ? AND (? IS NULL OR action = ? OR action LIKE ? || '.%')
     ORDER BY id DESC LIMIT ?`,
  ).all(
    options.beforeId ?? Number.MAX_SAFE_INTEGER,
    options.action ?? null,
    options.action ?? null,
    options.action ?? null,
    options.limit ?? 100,
  );
  return rows.map((r) => ({
    id: Number(r.id),
    at: String(r.at),
    user: r.user_name === null ? null : String(r.user_name),
    role: r.role === null ? null : String(r.role),
    client: r.client === null ? null : String(r.client),
    action: String(r.action),
    target: String(r.target),
    result: String(r.result),
    detail: r.detail === null ? null : String(r.detail),
  }));
}
