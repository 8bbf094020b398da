/**
 * The monitor (seed 000's OnDutyMonitor, seed 001's lag watching): counts
 * every topic's traffic and samples every group's lag, into its own SQLite;
 * the `/monitor` and `/groups` pages. See docs/monitor.md.
 */
import { defineService } from "../../shared/service/define_service.ts";
import { monitorConsumer } from "./consumer.ts";
import { MONITOR_SERVICE } from "./monitor_db.ts";

/** The monitor service. */
export const monitorService = defineService({
  name: "monitor",
  description: "Every topic's traffic and every group's lag over time, with a status.",
  principals: ["monitor"],
  consumers: () => [{
    name: MONITOR_SERVICE,
    task: "monitor",
    principal: "monitor",
    url: new URL("./consumer.ts", import.meta.url),
    module: monitorConsumer,
  }],
  web: {
    nav: [
      {
        href: "/monitor",
        label: "Monitor",
        description:
          "Every topic's traffic and every group's lag over time, in live charts (seed 000).",
      },
      {
        href: "/groups",
        label: "Groups",
        description:
          "Every consumer group: lag in messages and in time, Burrow-style status, members (seed 001).",
      },
    ],
  },
});

export { formatDuration, parseDuration } from "./duration.ts";
export { GROUP_STATUSES, type GroupStatus } from "./group_status.ts";
export type { MonitorSettings } from "./config.ts";
export { monitorReader } from "./web/monitor_reader.ts";
export { MONITOR_MIGRATIONS } from "./monitor_db.ts";
export { partitionLags } from "./web/group_queries.ts";
