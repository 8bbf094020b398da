/** Number formats of the monitor's pages (browser-safe). */
import { formatDuration } from "../duration.ts";

/** An integer with thousands separators. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en");
}

/** Bytes in B, KiB, MiB, GiB. */
export function formatBytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A lag in time: `—` when unknown, else a short duration. */
export function formatLagTime(ms: number | null): string {
  if (ms === null) return "—";
  return ms === 0 ? "0s" : formatDuration(ms);
}

/** A rate per second with at most two decimals. */
export function formatRate(n: number): string {
  return `${Math.round(n * 100) / 100}/s`;
}
