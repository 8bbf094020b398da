/** Number formats of the monitor's pages (browser-safe). */
import { formatDuration } from "../duration.ts";

export { formatBytes, formatCount } from "../../../shared/web/units.ts";

/** A lag in time: `—` when unknown, else a short duration. */
export function formatLagTime(ms: number | null): string {
  if (ms === null) return "—";
  return ms === 0 ? "0s" : formatDuration(ms);
}

/** A rate per second with at most two decimals. */
export function formatRate(n: number): string {
  return `${Math.round(n * 100) / 100}/s`;
}
