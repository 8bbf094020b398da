/** Small formatting helpers of the console pages. */

/** `12345` → `12,345`. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A duration in milliseconds as the largest whole unit: `604800000` → `7 d`; `-1` → `forever`. */
export function duration(ms: string | null): string {
  if (ms === null) return "—";
  const n = Number(ms);
  if (!Number.isFinite(n)) return ms;
  if (n < 0) return "forever";
  const units: [number, string][] = [[86_400_000, "d"], [3_600_000, "h"], [60_000, "min"], [
    1000,
    "s",
  ]];
  for (const [size, unit] of units) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} ms`;
}
