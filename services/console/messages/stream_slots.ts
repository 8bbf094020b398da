/**
 * Whether one more stream may start, and if not, a 429 that says why and
 * who holds what: "viewer holds 4 of the 4 streams one user may hold: tail
 * of orders.created since 20:01:02Z (5 min ago), …". The rules
 * (stream_limits.ts): every stream counts towards the total; a non-operator
 * may take a slot only while fewer than `total - operatorReserved` are in
 * use; searches and tails count towards their user's share, operator
 * actions do not.
 */
import { HttpError } from "../../../shared/web/http_error.ts";
import type { User } from "../../../shared/web/auth/users.ts";
import type { StreamLimits } from "./stream_limits.ts";

/** What a stream is: a search, a live tail, or the scan of an operator action. */
export type StreamKind = "search" | "tail" | "action";

/** A stream in progress, for the registry and the 429's message. */
export interface ActiveStream {
  id: number;
  kind: StreamKind;
  topic: string;
  /** Who holds it (`anonymous` when nobody logged in). */
  user: string;
  role: User["role"] | "none";
  startedAt: number;
}

/** Who asks for a slot, and for what. */
export interface SlotRequest {
  kind: StreamKind;
  user: string;
  role: ActiveStream["role"];
}

const KIND_NAMES: Record<StreamKind, string> = {
  search: "search",
  tail: "live tail",
  action: "operator action (redrive)",
};

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  return `${(s / 3600).toFixed(1)} h ago`;
}

/** One holder's stream, as the message names it. */
export function describeStream(stream: ActiveStream, now: number): string {
  const since = new Date(stream.startedAt).toISOString().replace(/\.\d+Z$/, "Z");
  return `${stream.user} (${stream.role}): ${KIND_NAMES[stream.kind]} of ${stream.topic} since ` +
    `${since} (${ago(now - stream.startedAt)})`;
}

function tooMany(message: string, holders: ActiveStream[], now: number): HttpError {
  const list = holders.map((s) => describeStream(s, now)).join("; ");
  return new HttpError(429, `${message}: ${list}. Try again when one ends.`, {
    headers: { "Retry-After": "5" },
  });
}

/** The 429 for `request`, or undefined when a slot is free for it. */
export function slotRefusal(
  limits: StreamLimits,
  active: ActiveStream[],
  request: SlotRequest,
  now: number,
): HttpError | undefined {
  if (active.length >= limits.total) {
    return tooMany(`all ${limits.total} stream slots are in use`, active, now);
  }
  const operator = request.role === "operator";
  const open = limits.total - limits.operatorReserved;
  if (!operator && active.length >= open) {
    return tooMany(
      `the ${open} stream slots open to viewers are in use (${limits.operatorReserved} are kept ` +
        "for operators)",
      active,
      now,
    );
  }
  if (request.kind === "action") return undefined;
  const own = active.filter((s) => s.user === request.user && s.kind !== "action");
  if (own.length >= limits.perUser) {
    return tooMany(
      `${request.user} holds ${own.length} of the ${limits.perUser} searches and live tails one ` +
        "user may hold",
      own,
      now,
    );
  }
  return undefined;
}
