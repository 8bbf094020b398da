/** Small pieces of the monitor's pages: range links, status badge, sparkline. */
import { type RangeName, RANGES } from "../range.ts";
import type { GroupStatus } from "../group_status.ts";

/** Links to the same page for each range; works without JavaScript. */
export function RangePicker({ current, base }: { current: RangeName; base: string }) {
  return (
    <nav class="range-picker" aria-label="Range">
      {(Object.keys(RANGES) as RangeName[]).map((range) => (
        <a
          href={`${base}?range=${range}`}
          aria-current={range === current ? "page" : undefined}
        >
          {range}
        </a>
      ))}
    </nav>
  );
}

/** A status as a coloured label. */
export function StatusBadge({ status, title }: { status: GroupStatus; title?: string | null }) {
  return <span class={`status status-${status}`} title={title ?? undefined}>{status}</span>;
}

/** A small inline SVG line of `values` (nulls are gaps), drawn on the server. */
export function Sparkline({ values, label }: { values: (number | null)[]; label: string }) {
  const width = 120;
  const height = 24;
  const known = values.filter((v): v is number => v !== null);
  const max = Math.max(1, ...known);
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const segments: string[] = [];
  let current: string[] = [];
  values.forEach((v, i) => {
    if (v === null) {
      if (current.length > 1) segments.push(current.join(" "));
      current = [];
      return;
    }
    const y = height - 2 - (v / max) * (height - 4);
    current.push(`${(i * step).toFixed(1)},${y.toFixed(1)}`);
  });
  if (current.length > 1) segments.push(current.join(" "));
  return (
    <svg
      class="sparkline"
      viewBox={`0 0 ${width} ${height}`}
      width={width}
      height={height}
      role="img"
      aria-label={label}
    >
      {segments.map((points) => (
        <polyline key={points} points={points} fill="none" stroke="currentColor" />
      ))}
    </svg>
  );
}
