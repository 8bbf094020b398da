/**
 * The monitor (OnDutyMonitor of seed 000, and seed 001's lag watching):
 * counts every topic's messages and bytes per partition and time bucket,
 * keeps each topic's newest messages for a live feed, samples every consumer
 * group's lag every 5 s (in messages, in time, with a Burrow-style status),
 * and keeps it all in its own SQLite (`data/monitor/`) with retention and
 * downsampling. It has its own lean consume loop, not the consumer runner:
 * it stores counts, not messages. See services/monitor/ and docs/monitor.md.
 *
 *   deno task consumer:monitor      # also runs as a Worker of the server
 */
import type { ConsumerEnv } from "../../shared/consumer/define.ts";
import { MONITOR_ENV } from "./config.ts";
import { runMonitorMain } from "./main.ts";

/** The monitor's variables (for its Worker's and task's permissions). */
export const monitorConsumer: ConsumerEnv = { env: MONITOR_ENV };

if (import.meta.main) await runMonitorMain();
