/**
 * The operator's actions on alerts, for the page and the API alike, each
 * audited (shared/web/auth): a silence (`alerts.silence`: a rule or
 * pattern, an instance or `*`, an end time, a comment), a silence ended
 * early (`alerts.unsilence`), a test notification to every webhook
 * (`alerts.test`, answered once each delivery's first attempt is known).
 */
import { audit, requireRole } from "../../../shared/web/auth/mod.ts";
import { HttpError } from "../../../shared/web/http_error.ts";
import type { RouteContext } from "../../../shared/web/route_types.ts";
import { parseDuration } from "../../monitor/mod.ts";
import { type Delivery, listDeliveries } from "../notify/deliveries.ts";
import { addSilence, expireSilence, type Silence } from "../silences.ts";
import { alertsWeb } from "./alerts_part.ts";

type Ctx = Pick<RouteContext, "state" | "services">;

/** Most a silence may last. */
export const MAX_SILENCE_MS = 30 * 86_400_000;

const PATTERN = /^[A-Za-z0-9._* -]{1,300}$/;

/** A silence as asked for, or every problem with it. */
export function parseSilence(
  input: Record<string, unknown>,
  now: number,
): { ok: true; value: { rule: string; instance: string; comment: string; endsAt: number } } | {
  ok: false;
  problems: string[];
} {
  const problems: string[] = [];
  const rule = String(input.rule ?? "").trim();
  const instance = String(input.instance ?? "").trim() || "*";
  const comment = String(input.comment ?? "").trim();
  if (!PATTERN.test(rule)) problems.push("rule: a rule's name, or a pattern with *");
  if (!PATTERN.test(instance)) problems.push("instance: an alert's instance, or * (default)");
  if (comment === "" || comment.length > 500) {
    problems.push("comment: say why (at most 500 characters)");
  }
  let endsAt: number | undefined;
  if (input.endsAt !== undefined && input.endsAt !== "") {
    endsAt = Date.parse(String(input.endsAt));
    if (Number.isNaN(endsAt)) problems.push("endsAt: an ISO 8601 time");
  } else {
    const ms = parseDuration(String(input.duration ?? ""));
    if (ms === undefined) problems.push("duration: such as 30m, 2h, 1d (or give endsAt)");
    else endsAt = now + ms;
  }
  if (endsAt !== undefined && (endsAt <= now || endsAt - now > MAX_SILENCE_MS)) {
    problems.push("the silence must end in the future, within 30 days");
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { rule, instance, comment, endsAt: endsAt! } };
}

/** Adds the silence `input` asks for, as the request's operator; 400 listing the problems. */
export function silenceAction(ctx: Ctx, input: Record<string, unknown>): Silence {
  const user = requireOperator(ctx, "alerts.silence", `alert:${String(input.rule ?? "")}`);
  const now = Date.now();
  const parsed = parseSilence(input, now);
  if (!parsed.ok) {
    throw new HttpError(400, `no silence was added: ${parsed.problems.join("; ")}`, {
      cause: parsed.problems,
    });
  }
  const silence = addSilence(ctx.services.part(alertsWeb).db(), {
    ...parsed.value,
    createdBy: user,
    createdAt: now,
  });
  audit(ctx, {
    action: "alerts.silence",
    target: `alert:${silence.rule}/${silence.instance}`,
    result: "ok",
    detail: {
      id: silence.id,
      endsAt: new Date(silence.endsAt).toISOString(),
      comment: silence.comment,
    },
  });
  return silence;
}

/** Ends silence `id` now; 404 when no silence of that id is in force. */
export function unsilenceAction(ctx: Ctx, id: number): Silence {
  requireOperator(ctx, "alerts.unsilence", `silence:${id}`);
  const silence = expireSilence(ctx.services.part(alertsWeb).db(), id, Date.now());
  if (!silence) throw new HttpError(404, `no silence ${id} is in force`);
  audit(ctx, {
    action: "alerts.unsilence",
    target: `alert:${silence.rule}/${silence.instance}`,
    result: "ok",
    detail: { id },
  });
  return silence;
}

/**
 * Sends a test notification to every webhook; waits (at most `waitMs`)
 * for each delivery's first attempt, and answers the deliveries as they
 * stand. 409 when no webhook is configured.
 */
export async function testAction(ctx: Ctx, waitMs = 10_000): Promise<Delivery[]> {
  const user = requireOperator(ctx, "alerts.test", "alerts");
  const part = ctx.services.part(alertsWeb);
  const ids = part.engine.sendTest(user);
  if (ids.length === 0) {
    audit(ctx, { action: "alerts.test", target: "alerts", result: "error", detail: "no webhook" });
    throw new HttpError(
      409,
      "no webhook is configured: set FRESHET_ALERT_WEBHOOK_URL, or give a rule webhook= in alerts.txt",
    );
  }
  part.deliveries.kick();
  const deadline = Date.now() + waitMs;
  let deliveries = listDeliveries(part.db(), { ids });
  while (deliveries.some((d) => d.attempts === 0) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 100));
    part.deliveries.kick();
    deliveries = listDeliveries(part.db(), { ids });
  }
  audit(ctx, {
    action: "alerts.test",
    target: "alerts",
    result: deliveries.every((d) => d.state === "sent") ? "ok" : "error",
    detail: deliveries.map((d) => ({ url: redactUrl(d.url), state: d.state, error: d.lastError })),
  });
  return deliveries;
}

function requireOperator(ctx: Ctx, action: string, target: string): string {
  try {
    return requireRole(ctx, "operator").name;
  } catch (error) {
    if (ctx.state.user) {
      audit(ctx, { action, target, result: "refused", detail: (error as Error).message });
    }
    throw error;
  }
}

/** A webhook URL as shown and audited: its path and query hidden (Slack's carry the secret). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname.length > 1 || u.search ? "/…" : "/"}`;
  } catch {
    return "(invalid URL)";
  }
}
