/**
 * The monitor's families for `/metrics`: each group partition's lag in
 * messages and in seconds (NaN when unknown), and each group's status as a
 * number (0 OK, 1 WARN, 2 REWIND, 3 STALL, 4 STOP, 5 ERROR), from the
 * latest sample.
 */
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import type { MetricFamily } from "../../../shared/web/prometheus.ts";
import { GROUP_STATUSES, severity } from "../group_status.ts";
import { listGroupStatuses, partitionLags } from "./group_queries.ts";

/** The families, from the monitor's database. */
export function groupLagFamilies(db: DatabaseSync): MetricFamily[] {
  const partitions = partitionLags(db);
  const labels = (p: { group: string; topic: string; partition: number }) => ({
    group: p.group,
    topic: p.topic,
    partition: String(p.partition),
  });
  return [
    {
      name: "freshet_group_lag",
      help: "Messages a consumer group is behind the end of a partition (monitor's latest sample).",
      type: "gauge",
      samples: partitions.map((p) => ({ labels: labels(p), value: p.lag })),
    },
    {
      name: "freshet_group_lag_seconds",
      help:
        "How far behind a consumer group is on a partition, in seconds, interpolated from the end offsets' history (NaN when unknown).",
      type: "gauge",
      samples: partitions.map((p) => ({
        labels: labels(p),
        value: p.lagMs === null ? Number.NaN : p.lagMs / 1_000,
      })),
    },
    {
      name: "freshet_group_status",
      help: `Status of a consumer group: ${
        GROUP_STATUSES.map((s, i) => `${i} ${s}`).join(", ")
      } (Burrow's rules, see docs/monitor.md).`,
      type: "gauge",
      samples: listGroupStatuses(db).map((g) => ({
        labels: { group: g.group },
        value: severity(g.status),
      })),
    },
  ];
}
