/**
 * The stuck-record page's sections: the plan of a skip (what it would do,
 * or why it cannot now) with the operator's confirmation, the record's
 * dead letters with a redrive button each, and the links to the record,
 * the browser and the live tail. Text only.
 */
import type { RouteState } from "../../../../shared/web/route_types.ts";
import { CsrfField } from "../../../../shared/web/auth/mod.ts";
import type { DeadLetterHistory } from "../dead_letter_history.ts";
import type { SkipPlan } from "../skip.ts";

/** What a skip would do, and its form for an operator. */
export function SkipSection(
  { plan, state, operator }: { plan: SkipPlan; state: RouteState; operator: boolean },
) {
  const how = plan.kind === "freshet"
    ? `move the stored offset of Freshet's ${plan.consumer} consumer (its SQLite) from ${plan.offset} to ${
      (plan.offset ?? 0) + 1
    }`
    : `commit offset ${(plan.offset ?? 0) + 1} for the group (it is at ${plan.offset})`;
  return (
    <section aria-labelledby="skip-title" data-field="skip">
      <h2 id="skip-title">Copy to the dead-letter topic and skip</h2>
      {plan.offset !== null && (
        <p data-field="skip-plan">
          Would copy the record at offset {plan.offset} to <code>{plan.dlqTopic}</code>{" "}
          (with Freshet's dead-letter headers naming its origin and who skipped it), then {how}.
        </p>
      )}
      {plan.refusal
        ? <p class="warn" data-field="skip-refusal">Not now: {plan.refusal}</p>
        : operator && (
          <form method="post" class="inline-form danger">
            <CsrfField state={state} />
            <input type="hidden" name="intent" value="skip" />
            <input type="hidden" name="offset" value={String(plan.offset)} />
            <button type="submit">Copy to {plan.dlqTopic} and skip offset {plan.offset}</button>
          </form>
        )}
    </section>
  );
}

/** The record's dead letters, each with a redrive form for an operator. */
export function HistorySection(
  { history, state, operator }: {
    history: DeadLetterHistory;
    state: RouteState;
    operator: boolean;
  },
) {
  return (
    <section aria-labelledby="history-title" data-field="dead-letters">
      <h2 id="history-title">Its dead letters</h2>
      {history.topics.length === 0
        ? <p class="muted">No dead-letter topic goes with this topic.</p>
        : history.letters.length === 0
        ? (
          <p class="muted">
            None on {history.topics.join(", ")}
            {history.complete ? "." : " (read in part: the budget was spent)."}
          </p>
        )
        : (
          <ul>
            {history.letters.map((l) => (
              <li
                key={`${l.dlqTopic}:${l.partition}:${l.offset}`}
                data-letter={`${l.dlqTopic}:${l.partition}:${l.offset}`}
              >
                <a
                  href={`/console/topics/${
                    encodeURIComponent(l.dlqTopic)
                  }/messages/${l.partition}/${l.offset}`}
                >
                  {l.dlqTopic} {l.partition}:{l.offset}
                </a>{" "}
                at {new Date(l.timestamp).toISOString()}: <strong>{l.code ?? "no code"}</strong>
                {" "}
                {l.error ?? ""}
                {l.consumer && ` (consumer ${l.consumer})`}
                {l.redrive
                  ? (
                    <span class="muted">
                      · redriven ({l.redrive.state}, {l.redrive.redrives}×) at {l.redrive.at}
                      {l.redrive.user && ` by ${l.redrive.user}`}
                    </span>
                  )
                  : operator && (
                    <form method="post" class="inline-form">
                      <CsrfField state={state} />
                      <input type="hidden" name="intent" value="redrive" />
                      <input type="hidden" name="dlqTopic" value={l.dlqTopic} />
                      <input type="hidden" name="letter" value={`${l.partition}:${l.offset}`} />
                      <button type="submit">Redrive</button>
                    </form>
                  )}
              </li>
            ))}
          </ul>
        )}
    </section>
  );
}
