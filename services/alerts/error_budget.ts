/**
 * A group's objective and its error budget, as a group's page shows them:
 * "≤ 30 s behind, 99 % of the time" allows 1 % of the observed time above
 * 30 s; the budget left is the part of that allowance not yet spent, over
 * the rule's window of the monitor's history (as much of it as the monitor
 * has: a young history is judged on what it holds, never on time it has
 * not seen). Below zero the objective is failing.
 */
import type { LagTime } from "./monitor_source.ts";

/** A group's objective and how it stands. */
export interface ErrorBudget {
  /** The lag rule it comes from (alerts.txt). */
  rule: string;
  targetMs: number;
  /** Share of the time the group must be within the target (0.99). */
  objective: number;
  windowMs: number;
  /** The time judged (samples with a known lag in time). */
  observedMs: number;
  /** Of which above the target. */
  aboveMs: number;
  /** Share of the observed time within the target (1 when nothing was observed). */
  compliance: number;
  /** Allowance above the target: (1 − objective) × observed time. */
  budgetMs: number;
  /** Share of the allowance left: 1 untouched, 0 spent, negative overspent. */
  budgetLeft: number;
  /** Whether the objective holds. */
  met: boolean;
  /** The oldest sample judged, or null. */
  since: number | null;
}

/** The budget of `time` against a rule's target and objective. */
export function errorBudget(
  rule: { name: string; aboveMs: number; objective: number; windowMs: number },
  time: LagTime,
): ErrorBudget {
  const budgetMs = (1 - rule.objective) * time.knownMs;
  const compliance = time.knownMs === 0 ? 1 : 1 - time.aboveMs / time.knownMs;
  const budgetLeft = budgetMs === 0
    ? (time.aboveMs === 0 ? 1 : -Infinity)
    : 1 - time.aboveMs / budgetMs;
  return {
    rule: rule.name,
    targetMs: rule.aboveMs,
    objective: rule.objective,
    windowMs: rule.windowMs,
    observedMs: time.knownMs,
    aboveMs: time.aboveMs,
    compliance,
    budgetMs,
    budgetLeft,
    met: compliance >= rule.objective,
    since: time.from,
  };
}
