/**
 * Numbers as pages show them, in human units (browser-safe): bytes in
 * binary units (`1 GiB`, `4.4 KiB`), counts with separators, and Kafka's
 * config values by their kind (`604800000` ms → `7 d`,
 * `9223372036854775807` or `-1` → `unlimited`).
 */

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** Bytes in B, KiB, MiB, GiB…: whole when exact (`1 GiB`), else one decimal (`4.4 KiB`). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "—";
  let value = n;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${BYTE_UNITS[unit]}`;
}

/** An integer with thousands separators. */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

const DURATION_UNITS: [number, string][] = [
  [7 * 86_400_000, "wk"],
  [86_400_000, "d"],
  [3_600_000, "h"],
  [60_000, "min"],
  [1_000, "s"],
];

/**
 * Milliseconds as the largest unit that divides them (`604800000` → `7 d`),
 * else broken down exactly (`90061000` → `1 d 1 h 1 min 1 s`).
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${ms} ms`;
  for (const [size, unit] of DURATION_UNITS.slice(1)) {
    if (ms % size === 0 && ms / size < 1_000) return `${ms / size} ${unit}`;
  }
  const parts: string[] = [];
  let rest = ms;
  for (const [size, unit] of [...DURATION_UNITS.slice(1), [1, "ms"] as [number, string]]) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n} ${unit}`);
    rest -= n * size;
  }
  return parts.join(" ");
}

/** Long.MAX_VALUE, Kafka's "no limit" for many configs. */
const LONG_MAX = "9223372036854775807";
const INT_MAX = "2147483647";

/** How Kafka's config `name` holds its value, from its name's suffix. */
function kindOf(name: string): "ms" | "bytes" | "other" {
  if (/\.ms$/.test(name)) return "ms";
  if (/(\.bytes|\.size|^max\.message\.bytes)$/.test(name)) return "bytes";
  return "other";
}

/**
 * A config's value as a person reads it: durations (`*.ms`) and sizes
 * (`*.bytes`) in units, `-1` and Long.MAX_VALUE as `unlimited`; anything
 * else as it is. Undefined when the raw value says it better (not a number).
 */
export function humanConfigValue(name: string, value: string | null): string | undefined {
  if (value === null || value === "") return undefined;
  if (value === LONG_MAX) return "unlimited";
  const kind = kindOf(name);
  if (kind === "other") return undefined;
  if (kind === "bytes" && value === INT_MAX) return "unlimited";
  if (!/^-?\d+$/.test(value)) return undefined;
  const n = Number(value);
  if (n < 0) return "unlimited";
  return kind === "ms" ? formatMs(n) : formatBytes(n);
}
