/**
 * A group's objective on its page (`/groups/:group`): the target, the
 * share of the observed time the group met it, and the error budget left
 * (or that it is spent), from alerts.txt's lag rule for the group.
 */
import { Time } from "../../../shared/web/time.tsx";
import { formatDuration } from "../../monitor/mod.ts";
import type { ErrorBudget } from "../error_budget.ts";

function percent(share: number): string {
  if (!Number.isFinite(share)) return share < 0 ? "−∞ %" : "∞ %";
  return `${Number((share * 100).toFixed(2))} %`;
}

/** The objective's facts, or a hint when no lag rule covers the group. */
export function GroupObjective({ objective }: { objective?: ErrorBudget }) {
  if (!objective) {
    return (
      <p class="muted" data-field="objective">
        No lag objective: add a <code>lag</code> rule for this group to alerts.txt.
      </p>
    );
  }
  const o = objective;
  return (
    <section aria-labelledby="objective-title" data-field="objective">
      <h2 id="objective-title">Objective</h2>
      <dl class="facts">
        <dt>Target</dt>
        <dd>
          ≤ {formatDuration(o.targetMs)} behind
          {o.objective > 0 && `, ${percent(o.objective)} of the time`} (rule <code>{o.rule}</code>)
        </dd>
        <dt>Within the target</dt>
        <dd data-field="compliance">
          {percent(o.compliance)} of {formatDuration(o.observedMs)} observed {o.since !== null && (
            <>
              since <Time at={o.since} />
            </>
          )} (window {formatDuration(o.windowMs)})
        </dd>
        {o.objective > 0 && (
          <>
            <dt>Error budget left</dt>
            <dd data-field="budget" class={o.met ? "status-OK" : "status-STALL"}>
              {o.budgetLeft > 0
                ? `${percent(o.budgetLeft)} (${formatDuration(o.budgetMs - o.aboveMs)} of ${
                  formatDuration(o.budgetMs)
                })`
                : `none: spent (${formatDuration(o.aboveMs)} above the target, ${
                  formatDuration(o.budgetMs)
                } allowed) — the objective is failing`}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
