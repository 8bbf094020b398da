/**
 * Reads of the traffic series for `/monitor` and `/api/monitor/topics`: per
 * topic, totals, the current rate and the series over a range, bucketed on
 * the server into at most ~1,000 points (range.ts) from the per-topic rows. Buckets with no row had
 * no message and read as 0.
 */
import { type DatabaseSync, statement } from "../../../shared/sqlite/sqlite.ts";
import type { MonitorSettings } from "../config.ts";
import { type FeedMessage } from "../feed.ts";
import { MAX_POINTS, type RangeName, RANGES, rangeWindow, ratePerSec } from "../range.ts";
import type { Point, TopicsReport, TopicTraffic } from "./types.ts";

/** Samples the current rate is measured over. */
const RATE_SAMPLES = 3;

/** Whether `topic` holds dead letters. */
export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(".dlq");
}

/**
 * Each counted topic's current rate, messages per second over the last
 * RATE_SAMPLES samples (a topic the monitor counts but that is quiet: 0).
 */
export function currentRates(
  db: DatabaseSync,
  settings: MonitorSettings,
  now = Date.now(),
): Map<string, number> {
  const since = Math.floor(now / settings.sampleMs) * settings.sampleMs -
    (RATE_SAMPLES - 1) * settings.sampleMs;
  const rates = new Map<string, number>();
  for (const row of statement(db, "SELECT topic FROM topic_totals GROUP BY topic").all()) {
    rates.set(String(row.topic), 0);
  }
  for (
    const row of statement(
      db,
      "SELECT topic, SUM(messages) AS m FROM topic_traffic WHERE res = ? AND t >= ? GROUP BY topic",
    ).all(settings.sampleMs, since)
  ) {
    rates.set(
      String(row.topic),
      round(Number(row.m) / Math.max(settings.sampleMs, now - since) * 1_000),
    );
  }
  return rates;
}

/**
 * Each topic's messages and bytes per bucket of a window, from its stored
 * rows at the window's resolution: one row a topic and stored bucket, at
 * the coarsest resolution that gives the range its points (range.ts) — at
 * 300 topics, 7 days at 300 points read 151,200 twenty-minute rows. SQLite
 * hands them over one stored time at a time (in the table's key order, so
 * without the sort a GROUP BY of the range's buckets needs: 240 ms of the
 * 7-day page's 330), each time's topics as one JSON array (a JavaScript
 * object per row cost ~2 µs a row), and they are summed into buckets here.
 */
export function topicBuckets(
  db: DatabaseSync,
  w: { res: number; from: number; step: number },
): Map<string, Map<number, [number, number]>> {
  const buckets = new Map<string, Map<number, [number, number]>>();
  const rows = statement(
    db,
    `SELECT t, json_group_array(json_array(topic, messages, bytes)) AS counts
     FROM topic_traffic WHERE res = ? AND t >= ? GROUP BY t`,
  ).iterate(w.res, w.from) as Iterable<{ t: number; counts: string }>;
  for (const row of rows) {
    const b = Math.floor(Number(row.t) / w.step) * w.step;
    for (const [topic, m, y] of JSON.parse(row.counts) as [string, number, number][]) {
      let series = buckets.get(topic);
      if (!series) buckets.set(topic, series = new Map());
      const sums = series.get(b);
      if (sums) {
        sums[0] += m;
        sums[1] += y;
      } else series.set(b, [m, y]);
    }
  }
  return buckets;
}

/** Every topic's traffic over `range` ending at `now`, in at most `maxPoints` buckets. */
export function topicsReport(
  db: DatabaseSync,
  settings: MonitorSettings,
  range: RangeName,
  now = Date.now(),
  maxPoints = MAX_POINTS,
): TopicsReport {
  const w = rangeWindow(RANGES[range], now, settings, maxPoints);
  const totals = new Map<string, { messages: number; bytes: number }>();
  for (
    const row of statement(
      db,
      "SELECT topic, SUM(messages) AS m, SUM(bytes) AS b FROM topic_totals GROUP BY topic",
    ).all()
  ) totals.set(String(row.topic), { messages: Number(row.m), bytes: Number(row.b) });

  const buckets = topicBuckets(db, w);
  const rates = currentRates(db, settings, now);

  const names = [...new Set([...totals.keys(), ...buckets.keys()])].sort();
  const options = { now, sampleMs: settings.sampleMs };
  const topics: TopicTraffic[] = names.map((topic) => {
    const counted = buckets.get(topic) ?? new Map();
    const series: Point[] = [];
    for (let i = 0; i < w.buckets; i++) {
      const t = w.from + i * w.step;
      const [m, y] = counted.get(t) ?? [0, 0];
      series.push([
        t,
        round(ratePerSec(m, t, w.step, options)),
        round(ratePerSec(y, t, w.step, options)),
      ]);
    }
    return {
      topic,
      messages: totals.get(topic)?.messages ?? 0,
      bytes: totals.get(topic)?.bytes ?? 0,
      rate: rates.get(topic) ?? 0,
      deadLetters: isDeadLetterTopic(topic),
      series,
    };
  });
  return {
    range,
    step: w.step,
    from: w.from,
    to: w.to,
    sampleMs: settings.sampleMs,
    columns: ["t", "messagesPerSecond", "bytesPerSecond"],
    topics,
  };
}

/** Two decimals, or two significant digits below 1/s (a slow topic over 7 days is not 0). */
function round(n: number): number {
  return Math.abs(n) >= 1 || n === 0 ? Math.round(n * 100) / 100 : Number(n.toPrecision(2));
}

/** The newest messages across topics, newest first. */
export function latestFeed(db: DatabaseSync, limit = 50): FeedMessage[] {
  return (statement(
    db,
    `SELECT topic, partition, "offset", timestamp, key, value, headers FROM feed
     ORDER BY id DESC LIMIT ?`,
  ).all(limit) as Record<string, unknown>[]).map((row) => ({
    topic: String(row.topic),
    partition: Number(row.partition),
    offset: Number(row.offset),
    timestamp: Number(row.timestamp),
    key: row.key === null ? null : String(row.key),
    value: row.value === null ? null : String(row.value),
    headers: JSON.parse(String(row.headers)) as Record<string, string>,
  }));
}
