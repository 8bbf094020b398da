/**
 * Durations as people write them in configuration (`5s`, `1m`, `6h`, `7d`)
 * and as pages show them (`1h 5m`, `42s`).
 */

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Milliseconds of `text` (`500ms`, `5s`, `1m`, `6h`, `7d`), or undefined when it is not one. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+)\s*(ms|s|m|h|d)\s*$/.exec(text);
  if (!match) return undefined;
  const ms = Number(match[1]) * UNITS[match[2]];
  return Number.isSafeInteger(ms) && ms > 0 ? ms : undefined;
}

/** A short human form of `ms`: the two largest units (`2d 3h`, `1m 5s`, `850ms`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  const total = Math.max(0, Math.round(ms));
  if (total < 1_000) return `${total}ms`;
  const parts: string[] = [];
  let rest = Math.floor(total / 1_000);
  for (const [unit, size] of [["d", 86_400], ["h", 3_600], ["m", 60], ["s", 1]] as const) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.filter((p) => !/^0/.test(p)).join(" ") || "0s";
}
