/**
 * The live stream's state as islands show it above what they keep live:
 * "live", "connecting…", why it is paused or refused, and, in the server's
 * rendering (a page without JavaScript), that the page will not update.
 */
import type { LiveState, LiveStatus } from "./live.ts";

const LABELS: Record<LiveState, string> = {
  static: "not live: live updates need JavaScript; this is the state when the page loaded",
  connecting: "connecting…",
  open: "live",
  closed: "disconnected",
  paused: "paused",
  refused: "live updates paused",
};

/** One line saying whether the island is live. */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  return (
    <p class={`live live-${status.state}`} aria-live="polite" data-live={status.state}>
      {LABELS[status.state]}
      {status.reason && <span class="live-reason">: {status.reason}</span>}
    </p>
  );
}
