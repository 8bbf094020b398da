/**
 * One alert's life, decided from what its rule observed: pending while the
 * condition holds for less than the rule's `for`, firing after, gone once
 * it no longer holds. What is sent: `firing` once per episode (when it
 * fires; later if a silence held it back and has ended), `repeat` every
 * `repeat` while it fires, `resolved` once when it ends — only if the
 * firing was sent, so a receiver never hears of an alert it did not see
 * fire. A silence holds back firing and repeats, never a resolution of
 * an alert the receiver saw fire. An unknown observation (the source
 * could not be read) changes nothing. Pure: the engine stores the result.
 */

/** An alert as stored (alerts table). */
export interface AlertState {
  rule: string;
  instance: string;
  state: "pending" | "firing";
  /** When the condition began to hold (ms). */
  since: number;
  firedAt: number | null;
  /** The firing episode: the id of its `firing` event (the de-duplication key's last part). */
  episode: number | null;
  summary: string;
  details: Record<string, unknown>;
  /** Whether this episode's firing was sent. */
  notified: boolean;
  lastSentAt: number | null;
  repeats: number;
}

/** What a rule saw of one instance. */
export interface Observation {
  instance: string;
  /** Whether the condition holds; undefined when it cannot be told now. */
  active: boolean | undefined;
  summary: string;
  details?: Record<string, unknown>;
}

/** What to record and send after one observation. */
export interface Step {
  /** The alert's new state; null: it is gone (resolved or never fired). */
  next: AlertState | null;
  /** An event for the history (and its notification, when `send`). */
  event?: "firing" | "repeat" | "resolved" | "silenced";
  /** Whether the event is sent to the webhooks. */
  send: boolean;
}

/** Timings of a rule. */
export interface RuleTiming {
  forMs: number;
  repeatMs: number;
}

/**
 * The step for `observation` of an alert in `previous` state (undefined:
 * none) at `now`, with `silenced` telling whether a silence matches it.
 * A new episode's id is filled in by the caller (`episode` stays null
 * here until the firing event is stored).
 */
export function step(
  previous: AlertState | undefined,
  observation: Observation,
  rule: RuleTiming,
  now: number,
  silenced: boolean,
): Step {
  const { active } = observation;
  if (active === undefined) return { next: previous ?? null, send: false };
  if (!active) {
    if (previous?.state === "firing") {
      return { next: null, event: "resolved", send: previous.notified };
    }
    return { next: null, send: false };
  }
  const seen = {
    summary: observation.summary,
    details: observation.details ?? {},
  };
  if (!previous) {
    const pending: AlertState = {
      rule: "",
      instance: observation.instance,
      state: "pending",
      since: now,
      firedAt: null,
      episode: null,
      notified: false,
      lastSentAt: null,
      repeats: 0,
      ...seen,
    };
    return rule.forMs <= 0 ? fire(pending, now, silenced) : { next: pending, send: false };
  }
  if (previous.state === "pending") {
    if (now - previous.since >= rule.forMs) return fire({ ...previous, ...seen }, now, silenced);
    return { next: { ...previous, ...seen }, send: false };
  }
  const firing = { ...previous, ...seen };
  if (silenced) return { next: firing, send: false };
  if (!firing.notified) {
    return { next: { ...firing, notified: true, lastSentAt: now }, event: "firing", send: true };
  }
  if (rule.repeatMs > 0 && firing.lastSentAt !== null && now - firing.lastSentAt >= rule.repeatMs) {
    return {
      next: { ...firing, lastSentAt: now, repeats: firing.repeats + 1 },
      event: "repeat",
      send: true,
    };
  }
  return { next: firing, send: false };
}

function fire(alert: AlertState, now: number, silenced: boolean): Step {
  const firing: AlertState = { ...alert, state: "firing", firedAt: now, episode: null };
  if (silenced) return { next: { ...firing, notified: false }, event: "silenced", send: false };
  return { next: { ...firing, notified: true, lastSentAt: now }, event: "firing", send: true };
}
