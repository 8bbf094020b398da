/**
 * What `/health` learns from the monitor: the status of each Freshet
 * consumer's group; STALL or STOP makes the consumer unhealthy (503),
 * naming the group. Samples older than three sampling periods (at least
 * 15 s) are not trusted: a stopped monitor shows as a stale consumer instead.
 */
import type { GroupHealth } from "../../../shared/web/health.ts";
import type { WebServices } from "../../../shared/web/services.ts";
import { UNHEALTHY_STATUSES } from "../group_status.ts";
import { latestGroupStatuses } from "./group_queries.ts";
import { monitorReader } from "./monitor_reader.ts";

/** The monitor's view of `groups`, by group id (empty when it has none). */
export function consumerGroupHealth(
  services: Pick<WebServices, "databases">,
  groups: string[],
  now = Date.now(),
): Map<string, GroupHealth> {
  const result = new Map<string, GroupHealth>();
  if (groups.length === 0) return result;
  const { db, settings } = monitorReader(services);
  const since = now - Math.max(3 * settings.sampleMs, 15_000);
  for (const [group, latest] of latestGroupStatuses(db, groups, since)) {
    const unhealthy = UNHEALTHY_STATUSES.includes(latest.status);
    result.set(group, {
      group,
      status: latest.status,
      lag: latest.lag,
      lagSeconds: latest.lagMs === null ? null : Math.round(latest.lagMs / 100) / 10,
      unhealthy,
      ...(unhealthy
        ? { reason: `consumer group ${group} is ${latest.status} (lag ${latest.lag})` }
        : {}),
    });
  }
  return result;
}
