/**
 * Failed logins in the audit log — the form's, HTTP Basic's and single
 * sign-on's — without letting anonymous attempts grow it without bound:
 * all failures from one source (client address) within
 * `FAILED_LOGIN_WINDOW_MS` share one row (`action` `login`, `result`
 * `refused`, `target` `client:<address>`), whose detail counts the
 * attempts and keeps the names tried (up to 10), the ways (form, basic,
 * oidc) and the last reason. Those rows are capped on their own
 * (audit_retention.ts), so they never push out what users did.
 */
import { statement } from "../../sqlite/sqlite.ts";
import type { RouteState } from "../route_types.ts";
import type { WebServices } from "../services.ts";
import { pruneAuditSometimes } from "./audit_retention.ts";
import { consoleDb } from "./console_db.ts";

/** Failures of one source within this window share one row (the rate limiter's window). */
export const FAILED_LOGIN_WINDOW_MS = 15 * 60_000;
const MAX_NAMES = 10;

/** One failed login. */
export interface FailedLogin {
  /** The user name tried (or the provider's subject). */
  name: string;
  /** How: the login form, HTTP Basic, or single sign-on. */
  via: "form" | "basic" | "oidc";
  /** Why it failed, as told to the user. */
  reason: string;
}

/** The detail of an aggregated row. */
export interface FailedLoginDetail {
  attempts: number;
  names: string[];
  via: string[];
  lastReason: string;
  lastAt: string;
}

/** Records `failure` of the request's client (a new row, or one more attempt on its row). */
export function auditFailedLogin(
  ctx: { state: RouteState; services: Pick<WebServices, "databases" | "auth"> },
  failure: FailedLogin,
  now = Date.now(),
): void {
  const db = consoleDb(ctx.services);
  const client = ctx.state.clientAddress ?? "local";
  const at = new Date(now).toISOString();
  const name = failure.name.slice(0, 100);
  const row = statement(
    db,
    `SELECT id, detail FROM audit_log WHERE client = ? AND anonymous_failure = 1 AND at >= ?
     ORDER BY id DESC LIMIT 1`,
  ).get(client, new Date(now - FAILED_LOGIN_WINDOW_MS).toISOString());
  if (row) {
    const detail = JSON.parse(String(row.detail)) as FailedLoginDetail;
    const updated: FailedLoginDetail = {
      attempts: detail.attempts + 1,
      names: detail.names.includes(name) || detail.names.length >= MAX_NAMES
        ? detail.names
        : [...detail.names, name],
      via: detail.via.includes(failure.via) ? detail.via : [...detail.via, failure.via],
      lastReason: failure.reason,
      lastAt: at,
    };
    statement(db, "UPDATE audit_log SET detail = ? WHERE id = ?").run(
      JSON.stringify(updated),
      Number(row.id),
    );
    return;
  }
  const detail: FailedLoginDetail = {
    attempts: 1,
    names: [name],
    via: [failure.via],
    lastReason: failure.reason,
    lastAt: at,
  };
  statement(
    db,
    `INSERT INTO audit_log (at, user_name, role, client, action, target, result, detail,
       anonymous_failure) VALUES (?, NULL, NULL, ?, 'login', ?, 'refused', ?, 1)`,
  ).run(at, client, `client:${client}`, JSON.stringify(detail));
  pruneAuditSometimes(db, ctx.services.auth.config.audit);
}
