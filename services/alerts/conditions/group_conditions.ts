/**
 * The conditions on groups, from the monitor's latest samples: lag in time
 * above a rule's target (`lag`), and a Burrow-style status among a rule's
 * (`status`). One instance per group the rule's glob matches; a sample
 * the monitor has not refreshed for three periods tells nothing (the
 * alert stays as it was); a group the monitor no longer lists is over.
 */
import { formatDuration } from "../../monitor/mod.ts";
import { type LagRule, matchesScoped, type StatusRule } from "../rules/rule.ts";
import type { Observation } from "../state_machine.ts";
import { type GroupSample, type Snapshot, trusted } from "./snapshot.ts";

function groupsOf(rule: { group: string }, snapshot: Snapshot): GroupSample[] | undefined {
  return snapshot.monitor?.groups.filter((g) =>
    matchesScoped(rule.group, g.group, snapshot.topicPrefix)
  );
}

/** Each group's lag in time against the rule's target. */
export function lagObservations(rule: LagRule, snapshot: Snapshot): Observation[] | undefined {
  const monitor = snapshot.monitor;
  const groups = groupsOf(rule, snapshot);
  if (!monitor || !groups) return undefined;
  return groups.map((g): Observation => {
    const fresh = trusted(monitor, g.at, snapshot.now);
    const active = !fresh
      ? undefined
      : g.lagMs === null
      ? (g.lag === 0 ? false : undefined)
      : g.lagMs > rule.aboveMs;
    const behind = g.lagMs === null ? "an unknown time" : formatDuration(g.lagMs);
    return {
      instance: g.group,
      active,
      summary: `group ${g.group} is ${behind} behind (${g.lag} messages; target ≤ ${
        formatDuration(rule.aboveMs)
      })`,
      details: {
        group: g.group,
        lag: g.lag,
        lagMs: g.lagMs,
        targetMs: rule.aboveMs,
        status: g.status,
      },
    };
  });
}

/** Each group's status against the rule's list. */
export function statusObservations(
  rule: StatusRule,
  snapshot: Snapshot,
): Observation[] | undefined {
  const monitor = snapshot.monitor;
  const groups = groupsOf(rule, snapshot);
  if (!monitor || !groups) return undefined;
  return groups.map((g): Observation => ({
    instance: g.group,
    active: trusted(monitor, g.at, snapshot.now) ? rule.statuses.includes(g.status) : undefined,
    summary: `group ${g.group} is ${g.status}${
      g.error ? ` (${g.error})` : ""
    }, ${g.lag} messages behind`,
    details: { group: g.group, status: g.status, lag: g.lag, lagMs: g.lagMs, error: g.error },
  }));
}
