/**
 * A topic's throughput over the last hour as a small SVG chart drawn on the
 * server (no JavaScript): messages per second per bucket as an area, the
 * peak and the last value labelled, the hour's start and end on the axis.
 */
import { Time } from "../../../shared/web/time.tsx";

/** `[t, value, …]`: a bucket's start (ms since the epoch) and its values. */
type Point = [number, ...(number | null)[]];

/** Props of ThroughputSvg. */
export interface ThroughputSvgProps {
  /** `[t, messages/s, bytes/s]` per bucket, oldest first. */
  series: Point[];
  label: string;
}

const W = 600;
const H = 120;
const PAD = 4;

/** The chart (an empty note when there is no series). */
export function ThroughputSvg({ series, label }: ThroughputSvgProps) {
  if (series.length < 2) return <p class="muted">No traffic counted in the last hour.</p>;
  const values = series.map((p) => Number(p[1] ?? 0));
  const peak = Math.max(...values);
  const max = Math.max(peak, 1);
  const x = (i: number) => PAD + (i / (series.length - 1)) * (W - 2 * PAD);
  const y = (v: number) => H - PAD - (v / max) * (H - 2 * PAD);
  const line = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const area = `${PAD},${H - PAD} ${line} ${W - PAD},${H - PAD}`;
  const rate = (v: number) => `${Math.round(v * 100) / 100}/s`;
  return (
    <figure class="throughput" data-peak={peak}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={label} preserveAspectRatio="none">
        <polygon points={area} class="throughput-area" />
        <polyline points={line} class="throughput-line" fill="none" />
      </svg>
      <figcaption class="muted">
        <Time at={series[0][0]} date={false} seconds={false} />
        <span>
          peak {rate(peak)} · now {rate(values.at(-1) ?? 0)}
        </span>
        <Time at={series.at(-1)![0]} date={false} seconds={false} />
      </figcaption>
    </figure>
  );
}
