/**
 * chart.js line charts for the monitor's islands (browser only): chart.js
 * comes from npm and is bundled with the islands, loaded when the first
 * chart is drawn. Time runs along a linear x axis (no date adapter needed);
 * each series is one line. Updates replace the data without animation.
 */
import type { Point } from "./types.ts";

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

function timeLabel(ms: number, spanMs: number): string {
  const d = new Date(ms);
  const hm = d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hour12: false });
  if (spanMs > 2 * 86_400_000) {
    return `${d.toLocaleDateString([], { month: "short", day: "numeric" })} ${hm}`;
  }
  if (spanMs >= 10 * 60_000) return hm;
  return d.toLocaleTimeString([], { hour12: false });
}

function unitLabel(value: number, unit: Unit): string {
  if (unit === "seconds") return `${Math.round(value * 10) / 10} s`;
  if (unit === "perSecond") return `${Math.round(value * 100) / 100}/s`;
  return String(Math.round(value));
}

function datasets(lines: Line[], unit: Unit) {
  return lines.map((line, i) => ({
    label: line.label,
    data: line.points.map((p) => {
      const raw = p[line.column ?? 1];
      const y = raw === null || raw === undefined ? null : unit === "seconds" ? raw / 1_000 : raw;
      return { x: p[0], y };
    }),
    borderColor: COLORS[i % COLORS.length],
    backgroundColor: COLORS[i % COLORS.length],
    borderWidth: 1.5,
    pointRadius: 0,
    spanGaps: false,
  }));
}

/** Draws a line chart in `canvas`. */
export async function drawLineChart(
  canvas: HTMLCanvasElement,
  options: { lines: Line[]; from: number; to: number; unit: Unit },
): Promise<LineChart> {
  const { Chart, LineController, LineElement, PointElement, LinearScale, Legend, Tooltip } =
    await import("chart.js");
  Chart.register(LineController, LineElement, PointElement, LinearScale, Legend, Tooltip);
  const { unit } = options;
  let span = options.to - options.from;
  const chart = new Chart(canvas, {
    type: "line",
    data: { datasets: datasets(options.lines, unit) },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      interaction: { mode: "nearest", axis: "x", intersect: false },
      scales: {
        x: {
          type: "linear",
          min: options.from,
          max: options.to,
          ticks: { maxTicksLimit: 6, callback: (v) => timeLabel(Number(v), span) },
        },
        y: {
          type: "linear",
          beginAtZero: true,
          ticks: {
            precision: unit === "count" ? 0 : undefined,
            callback: (v) => unitLabel(Number(v), unit),
          },
        },
      },
      plugins: {
        legend: { position: "bottom", labels: { boxWidth: 12 } },
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
    update(lines, range) {
      span = range.to - range.from;
      chart.data.datasets = datasets(lines, unit);
      const x = chart.options.scales!.x!;
      x.min = range.from;
      x.max = range.to;
      chart.update("none");
    },
    destroy: () => chart.destroy(),
  };
}
