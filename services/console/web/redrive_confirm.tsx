/**
 * The confirmation step of "Redrive all" on a dead-letter topic's page:
 * how many dead letters would go back and to which topics, how many would
 * be skipped and why, and one form that redrives exactly those (the plan's
 * `until` offsets, so dead letters arriving meanwhile wait for the next
 * redrive). A plain form: no JavaScript needed.
 */
import type { RouteState } from "../../../shared/web/route_types.ts";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import type { RedrivePlan } from "../dlq/redrive.ts";

/** Props of RedriveConfirm. */
export interface RedriveConfirmProps {
  dlqTopic: string;
  plan: RedrivePlan;
  /** The filter's fields (names and values) the plan was made with. */
  filter: Record<string, string>;
  repeat: boolean;
  state: RouteState;
  /** The page with the same filter (the form's action and Cancel). */
  back: string;
}

const MAX_SKIPPED_SHOWN = 20;

/** The plan and its confirm button. */
export function RedriveConfirm(props: RedriveConfirmProps) {
  const { plan, filter } = props;
  const filtered = Object.keys(filter).length > 0;
  const scope = filtered
    ? `every dead letter matching ${
      Object.entries(filter).map(([name, value]) => `${name} "${value}"`).join(", ")
    }`
    : "every dead letter";
  return (
    <section
      id="redrive-confirm"
      class="confirm"
      aria-labelledby="redrive-confirm-title"
      data-count={plan.count}
    >
      <h2 id="redrive-confirm-title">
        Redrive {plan.count.toLocaleString("en-US")} dead letter(s) of {props.dlqTopic}?
      </h2>
      <p>
        Counted {scope}
        {props.repeat ? ", including those redriven before" : ""}: read{" "}
        {(plan.scanned?.messages ?? 0).toLocaleString("en-US")} message(s)
        {plan.scanned && !plan.scanned.complete
          ? " — not the whole topic (a redrive takes at most 10,000 at once); redrive again for the rest"
          : ""}. Nothing has been sent yet.
      </p>
      {plan.targets.length > 0 && (
        <table class="confirm-targets">
          <thead>
            <tr>
              <th scope="col">Sent back to</th>
              <th scope="col" class="num">Dead letters</th>
            </tr>
          </thead>
          <tbody>
            {plan.targets.map((t) => (
              <tr key={t.topic} data-target={t.topic}>
                <td class="break">
                  <a href={`/console/topics/${encodeURIComponent(t.topic)}`}>{t.topic}</a>
                </td>
                <td class="num">{t.count.toLocaleString("en-US")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {plan.skipped.length > 0 && (
        <details class="confirm-skipped" data-skipped={plan.skipped.length}>
          <summary>
            {plan.skipped.length.toLocaleString("en-US")} would be skipped
          </summary>
          <ul>
            {plan.skipped.slice(0, MAX_SKIPPED_SHOWN).map((s) => (
              <li key={`${s.partition}:${s.offset}`}>
                {s.partition}:{s.offset} — {s.reason}
              </li>
            ))}
            {plan.skipped.length > MAX_SKIPPED_SHOWN && (
              <li>… and {plan.skipped.length - MAX_SKIPPED_SHOWN} more</li>
            )}
          </ul>
        </details>
      )}
      {plan.count === 0
        ? (
          <p>
            Nothing to redrive. <a href={props.back}>Back</a>
          </p>
        )
        : (
          <form method="post" action={props.back} class="inline-form danger">
            <CsrfField state={props.state} />
            <input type="hidden" name="all" value="1" />
            <input type="hidden" name="confirm" value="1" />
            {props.repeat && <input type="hidden" name="repeat" value="1" />}
            {Object.entries(filter).map(([name, value]) => (
              <input key={name} type="hidden" name={name} value={value} />
            ))}
            {Object.entries(plan.until ?? {}).map(([partition, offset]) => (
              <input key={partition} type="hidden" name="until" value={`${partition}:${offset}`} />
            ))}
            <button type="submit">
              Redrive {plan.count.toLocaleString("en-US")} dead letter(s)
            </button>{" "}
            <a href={props.back}>Cancel</a>
          </form>
        )}
    </section>
  );
}
