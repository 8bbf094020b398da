/**
 * An operator action, checked and recorded: `audited(ctx, entry, fn)`
 * requires the operator role, runs `fn`, and writes the audit entry with
 * the result — `ok` with what `fn` returned as detail, or `error` with the
 * broker's answer (then rethrown as an HttpError). A refusal for the role
 * is recorded too.
 */
import { audit, requireRole } from "../../shared/web/auth/mod.ts";
import type { RouteContext } from "../../shared/web/route_types.ts";
import { consoleHttpError } from "./kafka_http_error.ts";

/** What an action records besides its result. */
export interface AuditedAction {
  /** e.g. `topic.create` */
  action: string;
  /** e.g. `topic:orders.created` */
  target: string;
  /** The request's parameters (recorded with the result). */
  params?: Record<string, unknown>;
  /** How to name the action in an error, e.g. `creating topic x`. */
  what: string;
}

/** The context an action needs. */
export type ActionContext = Pick<RouteContext, "state" | "services">;

/**
 * Throws 401/403 unless the user is an operator; a logged-in user's
 * refusal is audited (`refused`) under `action` and `target`.
 */
export function requireOperator(ctx: ActionContext, action: string, target: string): void {
  try {
    requireRole(ctx, "operator");
  } catch (error) {
    if (ctx.state.user) {
      audit(ctx, { action, target, result: "refused", detail: (error as Error).message });
    }
    throw error;
  }
}

/** Runs `fn` as an audited operator action. */
export async function audited<T>(
  ctx: ActionContext,
  entry: AuditedAction,
  fn: () => Promise<T>,
): Promise<T> {
  requireOperator(ctx, entry.action, entry.target);
  try {
    const result = await fn();
    audit(ctx, {
      action: entry.action,
      target: entry.target,
      result: "ok",
      detail: { ...entry.params, ...(result && typeof result === "object" ? result : {}) },
    });
    return result;
  } catch (error) {
    const httpError = consoleHttpError(error, entry.what);
    audit(ctx, {
      action: entry.action,
      target: entry.target,
      result: "error",
      detail: { ...entry.params, error: httpError.message },
    });
    throw httpError;
  }
}
