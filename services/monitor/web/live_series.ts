/**
 * The monitor page's series as the browser keeps them between live notes:
 * counts per bucket (the server's rates times the time each bucket covers),
 * to which each `traffic` note's deltas are added; `lag` notes set a
 * group's bucket to the worst lag seen in it. The window slides forward
 * when a note falls past its last bucket. Pure functions, browser-safe.
 */
import { ratePerSec } from "../range.ts";
import type { TrafficDelta } from "../live_notes.ts";
import type { GroupSeries, Point, TopicsReport } from "./types.ts";

/** Buckets shared by every series: start of the first, size, count. */
export interface Window {
  from: number;
  step: number;
  buckets: number;
}

/** A topic's counts per bucket, aligned to the window. */
export interface TopicCounts {
  topic: string;
  deadLetters: boolean;
  messages: number[];
  bytes: number[];
}

/** Counts from a report's rates (inverting range.ts `ratePerSec` at the report's time). */
export function countsOf(report: TopicsReport): { window: Window; topics: TopicCounts[] } {
  const window = {
    from: report.from,
    step: report.step,
    buckets: report.topics[0]?.series.length ?? 0,
  };
  if (window.buckets === 0) {
    window.buckets = Math.max(1, Math.floor((report.to - report.from) / report.step) + 1);
  }
  const options = { now: report.to, sampleMs: report.sampleMs };
  const topics = report.topics.map((t) => {
    const perUnit = t.series.map(([at]) => 1 / ratePerSec(1, at, report.step, options));
    return {
      topic: t.topic,
      deadLetters: t.deadLetters,
      messages: t.series.map((p, i) => Math.round(Number(p[1] ?? 0) * perUnit[i])),
      bytes: t.series.map((p, i) => Math.round(Number(p[2] ?? 0) * perUnit[i])),
    };
  });
  return { window, topics };
}

/** Moves the window forward so that `t` falls in its last bucket, shifting every series. */
export function slideTo(window: Window, t: number, series: unknown[][]): Window {
  const index = Math.floor((t - window.from) / window.step);
  const shift = index - (window.buckets - 1);
  if (shift <= 0) return window;
  for (const s of series) {
    const fill = typeof s[0] === "number" || s.length === 0 ? 0 : null;
    s.splice(0, Math.min(shift, s.length));
    while (s.length < window.buckets) s.push(fill);
  }
  return { ...window, from: window.from + shift * window.step };
}

/** Adds a note's deltas; new topics get a series. Returns the (maybe slid) window. */
export function addDeltas(
  window: Window,
  topics: TopicCounts[],
  deltas: TrafficDelta[],
): Window {
  const latest = Math.max(...deltas.map((d) => d.t));
  const series = topics.flatMap((t) => [t.messages, t.bytes]);
  window = slideTo(window, latest, series);
  for (const d of deltas) {
    const index = Math.floor((d.t - window.from) / window.step);
    if (index < 0 || index >= window.buckets) continue;
    let counts = topics.find((t) => t.topic === d.topic);
    if (!counts) {
      counts = {
        topic: d.topic,
        deadLetters: d.topic.endsWith(".dlq"),
        messages: new Array(window.buckets).fill(0),
        bytes: new Array(window.buckets).fill(0),
      };
      topics.push(counts);
      topics.sort((a, b) => a.topic.localeCompare(b.topic));
    }
    counts.messages[index] += d.messages;
    counts.bytes[index] += d.bytes;
  }
  return window;
}

/** `[t, messages per second]` points of counts at `now`. */
export function ratePoints(
  window: Window,
  counts: number[],
  options: { now: number; sampleMs: number },
): Point[] {
  return counts.map((n, i) => {
    const t = window.from + i * window.step;
    return [t, Math.round(ratePerSec(n, t, window.step, options) * 100) / 100];
  });
}

/** `[t, count]` points. */
export function countPoints(window: Window, counts: number[]): Point[] {
  return counts.map((n, i) => [window.from + i * window.step, n]);
}

/** Records a group's lag sample in its series (the worst lag of the bucket wins). */
export function addLagSample(
  series: GroupSeries,
  step: number,
  sample: { t: number; lag: number; lagMs: number | null },
  from: number,
): void {
  const b = Math.floor(sample.t / step) * step;
  const points = series.series.filter((p) => p[0] >= from);
  const at = points.findIndex((p) => p[0] === b);
  if (at >= 0) {
    const [, lag, lagMs] = points[at];
    points[at] = [
      b,
      Math.max(Number(lag ?? 0), sample.lag),
      maxNullable(lagMs ?? null, sample.lagMs),
    ];
  } else {
    points.push([b, sample.lag, sample.lagMs]);
    points.sort((x, y) => x[0] - y[0]);
  }
  series.series = points;
}

function maxNullable(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
