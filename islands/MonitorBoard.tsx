/**
 * The monitor's charts (chart.js): messages per second per topic, dead
 * letters arriving per `.dlq` topic, lag per group and lag in time per
 * group, drawn from the stored history for the chosen range and updated
 * live from the `monitor` bus topic (traffic every second, lag at each
 * sample); and the live feed of the newest messages, rendered as text.
 * The server sends the charts' lines only (the busiest topics and one
 * "others" line, services/monitor/web/chart_topics.ts), downsampled; a
 * live delta of a topic not drawn adds to "others". A log scale and the
 * legends are switched for all charts (remembered in this browser).
 * Without JavaScript each chart says so and points at the tables.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { useLiveStatus } from "../shared/web/live.ts";
import { LiveIndicator } from "../shared/web/live_indicator.tsx";
import type { TrafficNote } from "../services/monitor/live_notes.ts";
import type { LagNote } from "../services/monitor/sampler.ts";
import {
  addDeltas,
  addLagSample,
  countPoints,
  countsOf,
  ratePoints,
  type TopicCounts,
  type Window,
} from "../services/monitor/web/live_series.ts";
import {
  type ChartLook,
  drawLineChart,
  type Line,
  type LineChart,
  type Unit,
} from "../services/monitor/web/line_chart.ts";
import { chartTopicOf } from "../services/monitor/web/chart_topics.ts";
import type { FeedMessage, GroupSeries, TopicsReport } from "../services/monitor/web/types.ts";
import { Time } from "../shared/web/time.tsx";

/** Props of MonitorBoard. */
export interface MonitorBoardProps {
  /** The charts' traffic lines over the chosen range (chart_topics.ts). */
  report: TopicsReport;
  /** Lag of the groups shown, over the same range and step. */
  groups: GroupSeries[];
  /** Newest messages across topics, newest first. */
  feed: FeedMessage[];
}

const FEED_SIZE = 50;
const VALUE_CHARS = 200;

type ChartName = "traffic" | "deadLetters" | "lag" | "lagTime";
const CHARTS: { name: ChartName; title: string; unit: Unit; attr: string }[] = [
  { name: "traffic", title: "Messages per second, per topic", unit: "perSecond", attr: "traffic" },
  {
    name: "deadLetters",
    title: "Dead letters arriving, per .dlq topic",
    unit: "count",
    attr: "dead-letters",
  },
  { name: "lag", title: "Lag per group (messages)", unit: "count", attr: "lag" },
  { name: "lagTime", title: "Lag in time per group", unit: "seconds", attr: "lag-time" },
];

interface Model {
  window: Window;
  topics: TopicCounts[];
  groups: GroupSeries[];
}

function linesOf(model: Model, name: ChartName, sampleMs: number): Line[] {
  const now = Date.now();
  if (name === "traffic" || name === "deadLetters") {
    return model.topics.filter((t) => t.deadLetters === (name === "deadLetters")).map((t) => ({
      label: t.topic,
      points: name === "traffic"
        ? ratePoints(model.window, t.messages, { now, sampleMs })
        : countPoints(model.window, t.messages),
    }));
  }
  return model.groups.map((g) => ({
    label: g.group,
    points: g.series,
    column: name === "lag" ? 1 : 2,
  }));
}

const LOOK_KEY = "freshet.chartLook";
const LOOK_SWITCHES = [["log", "log scale"], ["legend", "legends"]] as const;

function savedLook(): ChartLook {
  try {
    const saved = JSON.parse(globalThis.localStorage?.getItem(LOOK_KEY) ?? "null");
    return { log: saved?.log === true, legend: saved?.legend !== false };
  } catch {
    return { log: false, legend: true };
  }
}

function clip(text: string | null): string {
  if (text === null) return "null";
  return text.length > VALUE_CHARS ? `${text.slice(0, VALUE_CHARS)}…` : text;
}

/** The charts and the live feed. */
export default function MonitorBoard({ report, groups, feed: initialFeed }: MonitorBoardProps) {
  const model = useRef<Model>();
  model.current ??= { ...countsOf(report), groups: structuredClone(groups) };
  const canvases = useRef<Partial<Record<ChartName, HTMLCanvasElement | null>>>({});
  const charts = useRef<Partial<Record<ChartName, LineChart>>>({});
  const [feed, setFeed] = useState(initialFeed.slice(0, FEED_SIZE));
  const [version, setVersion] = useState(0);
  const [hydrated, setHydrated] = useState(false);
  const [look, setLook] = useState<ChartLook>({ log: false, legend: true });
  const restyle = (next: ChartLook) => {
    setLook(next);
    globalThis.localStorage?.setItem(LOOK_KEY, JSON.stringify(next));
    for (const chart of Object.values(charts.current)) chart?.restyle(next);
  };

  const redraw = () => {
    const m = model.current!;
    const range = { from: m.window.from, to: m.window.from + m.window.buckets * m.window.step };
    for (const { name } of CHARTS) {
      charts.current[name]?.update(linesOf(m, name, report.sampleMs), range);
    }
    setVersion((v) => v + 1);
  };

  useEffect(() => {
    let cancelled = false;
    setHydrated(true);
    const initialLook = savedLook();
    setLook(initialLook);
    const m = model.current!;
    const range = { from: m.window.from, to: m.window.from + m.window.buckets * m.window.step };
    for (const { name, unit } of CHARTS) {
      const canvas = canvases.current[name];
      if (!canvas) continue;
      drawLineChart(canvas, {
        lines: linesOf(m, name, report.sampleMs),
        ...range,
        unit,
        look: initialLook,
      }).then(
        (chart) => {
          if (cancelled) chart.destroy();
          else {
            charts.current[name] = chart;
            setVersion((v) => v + 1);
          }
        },
      );
    }
    return () => {
      cancelled = true;
      for (const chart of Object.values(charts.current)) chart?.destroy();
    };
  }, []);

  const live = useLiveStatus(["monitor"], (message) => {
    const m = model.current!;
    if (message.type === "traffic") {
      const note = message.data as TrafficNote;
      if (Array.isArray(note?.deltas) && note.deltas.length > 0) {
        const deltas = note.deltas.map((d) => ({
          ...d,
          topic: chartTopicOf(d.topic, report.topics),
        }));
        m.window = addDeltas(m.window, m.topics, deltas);
      }
      if (Array.isArray(note?.feed) && note.feed.length > 0) {
        setFeed((current) => [...note.feed].reverse().concat(current).slice(0, FEED_SIZE));
      }
      redraw();
    } else if (message.type === "lag") {
      const note = message.data as LagNote;
      for (const g of note?.groups ?? []) {
        const series = m.groups.find((s) => s.group === g.group);
        if (series) {
          series.status = g.status;
          addLagSample(
            series,
            m.window.step,
            { t: note.t, lag: g.lag, lagMs: g.lagMs },
            m.window.from,
          );
        }
      }
      redraw();
    }
  });

  const m = model.current;
  const sumOf = (dead: boolean) =>
    m.topics.filter((t) => t.deadLetters === dead).reduce(
      (s, t) => s + t.messages.reduce((a, b) => a + b, 0),
      0,
    );
  return (
    <div class="monitor-board" data-version={version}>
      <LiveIndicator status={live} />
      {hydrated && (
        <p class="chart-controls">
          {LOOK_SWITCHES.map(([key, label]) => (
            <label key={key}>
              <input
                type="checkbox"
                name={key}
                ref={(el) => {
                  if (el) el.checked = look[key];
                }}
                onChange={(e) => restyle({ ...look, [key]: e.currentTarget.checked })}
              />{" "}
              {label}
            </label>
          ))}
        </p>
      )}
      <div class="charts">
        {CHARTS.map(({ name, title, attr }) => (
          <figure
            class="chart"
            data-chart={attr}
            data-ready={charts.current[name] ? "yes" : "no"}
            data-sum={name === "traffic"
              ? sumOf(false)
              : name === "deadLetters"
              ? sumOf(true)
              : undefined}
            data-lines={name === "lag" || name === "lagTime"
              ? m.groups.length
              : m.topics.filter((t) => t.deadLetters === (name === "deadLetters")).length}
          >
            <figcaption>{title}</figcaption>
            {!hydrated && (
              <p class="chart-nojs">
                This chart needs JavaScript; the tables below give the same numbers.
              </p>
            )}
            <div class="chart-box">
              <canvas
                ref={(el) => {
                  canvases.current[name] = el;
                }}
              />
            </div>
          </figure>
        ))}
      </div>
      <section class="feed" aria-labelledby="feed-title">
        <h2 id="feed-title">Live feed</h2>
        {feed.length === 0 ? <p class="empty">No message yet.</p> : (
          <ol class="feed-list">
            {feed.map((msg) => (
              <li key={`${msg.topic}:${msg.partition}:${msg.offset}`} data-topic={msg.topic}>
                <span class="feed-where">
                  <span class="feed-topic">{msg.topic}</span> · p{msg.partition} · #{msg.offset} ·
                  {" "}
                  <Time at={msg.timestamp} date={false} />
                </span>
                <span class="feed-key">key: {clip(msg.key)}</span>
                {Object.keys(msg.headers).length > 0 && (
                  <span class="feed-headers">
                    {Object.entries(msg.headers).map(([k, v]) => `${k}=${v}`).join(" · ")}
                  </span>
                )}
                <code class="feed-value">{clip(msg.value)}</code>
              </li>
            ))}
          </ol>
        )}
      </section>
    </div>
  );
}
