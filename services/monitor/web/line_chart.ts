/**
 * chart.js line charts for the monitor's islands (browser only): chart.js
 * comes from npm and is bundled with the islands, loaded when the first
 * chart is drawn. Time runs along a linear x axis (no date adapter needed)
 * with ticks on round times (`roundTicks`) in the reader's time zone or
 * UTC (shared/web/time.tsx); each series is one line; the y axis is linear
 * or logarithmic; the legend sits beside a wide chart, below a narrow one,
 * or is hidden. Updates replace the data without animation.
 */
import type { Point } from "./types.ts";
import { timeZoneChoice } from "../../../shared/web/time.tsx";

/** One line: a label and `[t, value]` points. */
export interface Line {
  label: string;
  points: Point[];
  /** Which value of each point to draw (default 1). */
  column?: number;
}

/** What the y axis shows. */
export type Unit = "perSecond" | "count" | "seconds";

/** A drawn chart. */
export interface LineChart {
  /** Replaces the lines and the x range. */
  update(lines: Line[], range: { from: number; to: number }): void;
  /** Switches the y axis (linear, log) and the legend. */
  restyle(look: ChartLook): void;
  destroy(): void;
}

const COLORS = [
  "#0b6bcb",
  "#cf222e",
  "#1a7f37",
  "#9a6700",
  "#8250df",
  "#bf3989",
  "#0a7c86",
  "#6e7781",
  "#e16f24",
  "#3b5bdb",
  "#2f9e44",
  "#c92a2a",
];

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Tick spacings, smallest first: each a round time. */
const TICK_STEPS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
];

/**
 * Ticks on round times between `from` and `to`: the smallest spacing of
 * TICK_STEPS giving at most `maxTicks`, aligned in a zone `offsetMs` ahead
 * of UTC (so 6-hour ticks fall on 00:00, 06:00… of the reader's clock).
 */
export function roundTicks(from: number, to: number, maxTicks: number, offsetMs = 0): number[] {
  const span = Math.max(1, to - from);
  const step = TICK_STEPS.find((s) => span / s <= maxTicks) ??
    Math.ceil(span / maxTicks / DAY) * DAY;
  const ticks: number[] = [];
  for (let t = Math.ceil((from + offsetMs) / step) * step - offsetMs; t <= to; t += step) {
    ticks.push(t);
  }
  return ticks;
}

function zoneOffset(ms: number): number {
  return timeZoneChoice() === "utc" ? 0 : -new Date(ms).getTimezoneOffset() * MINUTE;
}

function timeLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const timeZone = timeZoneChoice() === "utc" ? "UTC" : undefined;
  const hm = d.toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
    timeZone,
  });
  if (spanMs > 2 * DAY) {
    return `${d.toLocaleDateString([], { month: "short", day: "numeric", timeZone })} ${hm}`;
  }
  if (spanMs >= 10 * MINUTE) return hm;
  return d.toLocaleTimeString([], { hour12: false, timeZone });
}

const LEGEND_LABEL_CHARS = 28;

function legendPosition(width: number): "right" | "bottom" {
  return width >= 560 ? "right" : "bottom";
}

function unitLabel(value: number, unit: Unit): string {
  if (unit === "seconds") return `${Math.round(value * 10) / 10} s`;
  if (unit === "perSecond") return `${Math.round(value * 100) / 100}/s`;
  return String(Math.round(value));
}

function datasets(lines: Line[], unit: Unit, log: boolean) {
  return lines.map((line, i) => ({
    label: line.label,
    data: line.points.map((p) => {
      const raw = p[line.column ?? 1];
      const y = raw === null || raw === undefined ? null : unit === "seconds" ? raw / 1_000 : raw;
      return { x: p[0], y: log && y !== null && y <= 0 ? null : y };
    }),
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    borderWidth: 1.5,
    pointRadius: 0,
    spanGaps: false,
  }));
}

/** How a chart is shown. */
export interface ChartLook {
  /** A logarithmic y axis (zeros are not drawn). */
  log: boolean;
  legend: boolean;
}

/** Draws a line chart in `canvas`. */
export async function drawLineChart(
  canvas: HTMLCanvasElement,
  options: { lines: Line[]; from: number; to: number; unit: Unit; look?: ChartLook },
): Promise<LineChart> {
  const js = await import("chart.js");
  const { Chart } = js;
  Chart.register(
    js.LineController,
    js.LineElement,
    js.PointElement,
    js.LinearScale,
    js.LogarithmicScale,
    js.Legend,
    js.Tooltip,
  );
  const { unit } = options;
  let look: ChartLook = options.look ?? { log: false, legend: true };
  let lines = options.lines;
  let span = options.to - options.from;
  const yScale = (log: boolean) => ({
    type: log ? "logarithmic" as const : "linear" as const,
    beginAtZero: !log,
    ticks: {
      precision: unit === "count" ? 0 : undefined,
      callback: (v: string | number) => unitLabel(Number(v), unit),
    },
  });
  const chart = new Chart(canvas, {
    type: "line",
    data: { datasets: datasets(lines, unit, look.log) },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      onResize: (c, size) => {
        c.options.plugins!.legend!.position = legendPosition(size.width);
      },
      scales: {
        x: {
          type: "linear",
          min: options.from,
          max: options.to,
          afterBuildTicks: (axis) => {
            axis.ticks = roundTicks(axis.min, axis.max, 6, zoneOffset(axis.min)).map((value) => ({
              value,
            }));
          },
          ticks: { callback: (v) => timeLabel(Number(v), span) },
        },
        y: yScale(look.log),
      },
      plugins: {
        legend: {
          display: look.legend,
          position: legendPosition(canvas.parentElement?.clientWidth ?? 0),
          labels: {
            boxWidth: 10,
            font: { size: 11 },
            generateLabels: (c) =>
              Chart.defaults.plugins.legend.labels.generateLabels(c).map((item) => ({
                ...item,
                text: item.text.length > LEGEND_LABEL_CHARS
                  ? `${item.text.slice(0, LEGEND_LABEL_CHARS - 1)}…`
                  : item.text,
              })),
          },
        },
        tooltip: {
          callbacks: {
            title: (items) => items.length ? timeLabel(Number(items[0].parsed.x), 0) : "",
            label: (item) => `${item.dataset.label}: ${unitLabel(Number(item.parsed.y), unit)}`,
          },
        },
      },
    },
  });
  return {
    update(next, range) {
      lines = next;
      span = range.to - range.from;
      chart.data.datasets = datasets(lines, unit, look.log);
      const x = chart.options.scales!.x!;
      x.min = range.from;
      x.max = range.to;
      chart.update("none");
    },
    restyle(next) {
      look = next;
      chart.options.scales!.y = yScale(look.log);
      chart.options.plugins!.legend!.display = look.legend;
      chart.data.datasets = datasets(lines, unit, look.log);
      chart.update("none");
    },
    destroy: () => chart.destroy(),
  };
}
