/**
 * What the monitor page's traffic charts draw, so that they stay readable
 * and the page small: per chart (topics, dead-letter topics) the `top`
 * busiest topics of the range, one line, and every other topic with
 * traffic summed into one "others" line; topics that no longer exist, or
 * had no message in the range, are left out. The page's tables keep every
 * topic. Browser-safe (the island maps live deltas with `chartTopicOf`).
 */
import type { Point, TopicsReport, TopicTraffic } from "./types.ts";

/** The label of the "others" line of a chart. */
export function othersLabel(count: number, deadLetters: boolean): string {
  return `${count} other ${deadLetters ? "dead-letter topic" : "topic"}${count === 1 ? "" : "s"}`;
}

/** Options of `chartTopics`. */
export interface ChartTopicsOptions {
  /** Lines per chart besides "others" (default 8). */
  top?: number;
  /** Whether a topic still exists (unknown: keep it). */
  exists?: (topic: string) => boolean;
}

function sumOf(series: Point[]): number {
  return series.reduce((sum, p) => sum + Number(p[1] ?? 0), 0);
}

function summed(label: string, deadLetters: boolean, topics: TopicTraffic[]): TopicTraffic {
  const series: Point[] = topics[0].series.map((p, i) => [
    p[0],
    round(topics.reduce((s, t) => s + Number(t.series[i]?.[1] ?? 0), 0)),
    round(topics.reduce((s, t) => s + Number(t.series[i]?.[2] ?? 0), 0)),
  ]);
  return {
    topic: label,
    messages: topics.reduce((s, t) => s + t.messages, 0),
    bytes: topics.reduce((s, t) => s + t.bytes, 0),
    rate: round(topics.reduce((s, t) => s + t.rate, 0)),
    deadLetters,
    others: topics.length,
    series,
  };
}

function round(n: number): number {
  return Math.abs(n) >= 1 || n === 0 ? Math.round(n * 100) / 100 : Number(n.toPrecision(2));
}

/** `report` reduced to the lines the charts draw (see the module's note). */
export function chartTopics(report: TopicsReport, options: ChartTopicsOptions = {}): TopicsReport {
  const top = options.top ?? 8;
  const exists = options.exists ?? (() => true);
  const lines: TopicTraffic[] = [];
  for (const deadLetters of [false, true]) {
    const ranked = report.topics
      .filter((t) => t.deadLetters === deadLetters && exists(t.topic))
      .map((t) => ({ t, sum: sumOf(t.series) }))
      .filter((x) => x.sum > 0)
      .sort((a, b) =>
        b.sum - a.sum || b.t.messages - a.t.messages || a.t.topic.localeCompare(b.t.topic)
      )
      .map((x) => x.t);
    const shown = ranked.length > top + 1 ? ranked.slice(0, top) : ranked;
    lines.push(...shown);
    const rest = ranked.slice(shown.length);
    if (rest.length > 0) {
      lines.push(summed(othersLabel(rest.length, deadLetters), deadLetters, rest));
    }
  }
  return { ...report, topics: lines };
}

/**
 * The line a live delta of `topic` adds to: its own, or its chart's
 * "others" (a topic not drawn, or new since the page was made).
 */
export function chartTopicOf(topic: string, drawn: TopicTraffic[]): string {
  if (drawn.some((t) => t.topic === topic && !t.others)) return topic;
  const deadLetters = topic.endsWith(".dlq");
  return drawn.find((t) => t.others && t.deadLetters === deadLetters)?.topic ?? topic;
}
