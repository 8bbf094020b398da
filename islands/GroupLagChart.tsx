/**
 * One group's lag over the chosen range (chart.js): messages behind and
 * time behind, from the stored history, extended live at each of the
 * monitor's samples (`lag` notes on the `monitor` bus topic).
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { useLiveStatus } from "../shared/web/live.ts";
import { LiveIndicator } from "../shared/web/live_indicator.tsx";
import type { LagNote } from "../services/monitor/sampler.ts";
import { addLagSample } from "../services/monitor/web/live_series.ts";
import { drawLineChart, type LineChart } from "../services/monitor/web/line_chart.ts";
import type { GroupSeries, Point } from "../services/monitor/web/types.ts";

/** Props of GroupLagChart. */
export interface GroupLagChartProps {
  group: string;
  /** Bucket size of `series`, milliseconds. */
  step: number;
  /** Start of the range, milliseconds since the epoch. */
  from: number;
  /** Length of the range, milliseconds. */
  rangeMs: number;
  /** `[t, lag, lagMs]` per bucket. */
  series: Point[];
}

/** The group's lag chart and lag-in-time chart. */
export default function GroupLagChart(props: GroupLagChartProps) {
  const model = useRef<GroupSeries>();
  model.current ??= { group: props.group, status: "OK", series: structuredClone(props.series) };
  const from = useRef(props.from);
  const lagCanvas = useRef<HTMLCanvasElement>(null);
  const timeCanvas = useRef<HTMLCanvasElement>(null);
  const charts = useRef<LineChart[]>([]);
  const [points, setPoints] = useState(props.series.length);

  const lines = () => [
    [{ label: `${props.group}: messages behind`, points: model.current!.series, column: 1 }],
    [{ label: `${props.group}: time behind`, points: model.current!.series, column: 2 }],
  ];

  useEffect(() => {
    let cancelled = false;
    const range = { from: from.current, to: from.current + props.rangeMs };
    const [lag, time] = lines();
    Promise.all([
      drawLineChart(lagCanvas.current!, { lines: lag, ...range, unit: "count" }),
      drawLineChart(timeCanvas.current!, { lines: time, ...range, unit: "seconds" }),
    ]).then((drawn) => {
      if (cancelled) drawn.forEach((c) => c.destroy());
      else charts.current = drawn;
    });
    return () => {
      cancelled = true;
      charts.current.forEach((c) => c.destroy());
    };
  }, []);

  const live = useLiveStatus(["monitor"], (message) => {
    if (message.type !== "lag") return;
    const note = message.data as LagNote;
    const sample = note?.groups?.find((g) => g.group === props.group);
    if (!sample) return;
    const end = Math.floor(note.t / props.step) * props.step;
    from.current = Math.max(from.current, end + props.step - props.rangeMs);
    addLagSample(model.current!, props.step, { t: note.t, ...sample }, from.current);
    const range = { from: from.current, to: from.current + props.rangeMs };
    lines().forEach((l, i) => charts.current[i]?.update(l, range));
    setPoints(model.current!.series.length);
  });

  return (
    <div class="group-chart" data-points={points}>
      <LiveIndicator status={live} />
      <div class="charts">
        <figure class="chart" data-chart="group-lag">
          <figcaption>Messages behind</figcaption>
          <div class="chart-box">
            <canvas ref={lagCanvas} />
          </div>
        </figure>
        <figure class="chart" data-chart="group-lag-time">
          <figcaption>Time behind</figcaption>
          <div class="chart-box">
            <canvas ref={timeCanvas} />
          </div>
        </figure>
      </div>
    </div>
  );
}
