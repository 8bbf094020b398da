/**
 * A group's objective for its page: the first lag rule of alerts.txt that
 * matches the group, and its error budget over the monitor's history
 * (error_budget.ts). Undefined when no lag rule matches.
 */
import type { KernelServices, WebServices } from "../../../shared/web/services.ts";
import { monitorReader } from "../../monitor/mod.ts";
import { type ErrorBudget, errorBudget } from "../error_budget.ts";
import { lagTime } from "../monitor_source.ts";
import { type LagRule, matchesScoped } from "../rules/rule.ts";
import { alertsWeb } from "./alerts_part.ts";

/** The objective of `group`, and how it stands now. */
export function groupObjective(
  services: Pick<WebServices, "part" | "databases"> & Pick<KernelServices, "topicPrefix">,
  group: string,
  now = Date.now(),
): ErrorBudget | undefined {
  const rule = services.part(alertsWeb).rules.rules().find((r): r is LagRule =>
    r.kind === "lag" && matchesScoped(r.group, group, services.topicPrefix)
  );
  if (!rule) return undefined;
  const { db, settings } = monitorReader(services);
  const time = lagTime(db, settings, {
    group,
    targetMs: rule.aboveMs,
    windowMs: rule.windowMs,
    now,
  });
  return errorBudget(rule, time);
}
