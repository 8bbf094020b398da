/**
 * The sections of `/alerts`: the rules with their alerts, the operator's
 * forms (silence, end a silence, send a test notification), silences in
 * force, the newest deliveries and the history. Every value is rendered
 * as text.
 */
import type { RouteState } from "../../../shared/web/route_types.ts";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import { formatDuration } from "../../monitor/mod.ts";
import { Time } from "../../../shared/web/time.tsx";
import type { AlertsOverview, RuleRow } from "./overview.ts";

const STATE_CLASS = { ok: "status-OK", pending: "status-WARN", firing: "status-STALL" } as const;

/** A time as every page shows one (local with its zone, or UTC by choice). */
function time(ms: number | null | undefined) {
  return ms === null || ms === undefined ? "—" : <Time at={ms} />;
}

/** Props of the sections that may show the operator's forms. */
export interface SectionProps {
  overview: AlertsOverview;
  state: RouteState;
  operator: boolean;
}

/** The rules and their alerts. */
export function RuleTable({ overview }: { overview: AlertsOverview }) {
  return (
    <table class="alert-rules">
      <thead>
        <tr>
          <th>Rule</th>
          <th>State</th>
          <th>Watches</th>
          <th>For</th>
          <th>Alerts</th>
        </tr>
      </thead>
      <tbody>
        {overview.rules.map((rule) => <RuleRowView key={rule.name} rule={rule} />)}
      </tbody>
    </table>
  );
}

function RuleRowView({ rule }: { rule: RuleRow }) {
  return (
    <tr data-rule={rule.name} data-state={rule.state}>
      <th scope="row">
        <code>{rule.name}</code>{" "}
        <span class="muted">({rule.kind}, line {rule.line}, {rule.severity})</span>
      </th>
      <td class={STATE_CLASS[rule.state]}>{rule.state}</td>
      <td class="break">
        {rule.watches}
        {rule.webhooks.length > 0 && <span class="muted">; also to {rule.webhooks.join(", ")}
        </span>}
      </td>
      <td>{formatDuration(rule.forMs)}</td>
      <td>
        {rule.alerts.length === 0 ? <span class="muted">none</span> : (
          <ul>
            {rule.alerts.map((a) => (
              <li data-instance={a.instance} data-alert-state={a.state}>
                <strong class={STATE_CLASS[a.state]}>{a.state}</strong> <code>{a.instance}</code>:
                {" "}
                {a.summary} <span class="muted">(since {time(a.firedAt ?? a.since)})</span>
                {a.silencedBy !== null && <span class="muted">· silenced (#{a.silencedBy})</span>}
              </li>
            ))}
          </ul>
        )}
      </td>
    </tr>
  );
}

/** Silences in force, with a form to end each (operators). */
export function Silences({ overview, state, operator }: SectionProps) {
  if (overview.silences.length === 0) return <p class="muted">No silence in force.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th>#</th>
          <th>Rule</th>
          <th>Instance</th>
          <th>Until</th>
          <th>By</th>
          <th>Why</th>
          {operator && <th />}
        </tr>
      </thead>
      <tbody>
        {overview.silences.map((s) => (
          <tr data-silence={String(s.id)}>
            <td>{s.id}</td>
            <td>
              <code>{s.rule}</code>
            </td>
            <td>
              <code>{s.instance}</code>
            </td>
            <td>{time(s.endsAt)}</td>
            <td>{s.createdBy ?? "—"}</td>
            <td class="break">{s.comment}</td>
            {operator && (
              <td>
                <form method="post" class="inline-form">
                  <CsrfField state={state} />
                  <input type="hidden" name="intent" value="unsilence" />
                  <input type="hidden" name="id" value={String(s.id)} />
                  <button type="submit">End now</button>
                </form>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The operator's forms: a new silence, and a test notification. */
export function AlertForms(
  { overview, state, values }: SectionProps & { values: Record<string, string> },
) {
  return (
    <>
      <section aria-labelledby="silence-title">
        <h2 id="silence-title">Silence</h2>
        <form method="post" class="stacked-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="silence" />
          <label>
            <span>
              Rule{" "}
              <span class="muted">
                (its name, or a pattern with <code>*</code>)
              </span>
            </span>{" "}
            <input name="rule" required value={values.rule ?? ""} list="alert-rule-names" />
          </label>
          <datalist id="alert-rule-names">
            {overview.rules.map((r) => <option key={r.name} value={r.name} />)}
          </datalist>
          <label>
            Instance <input name="instance" value={values.instance ?? "*"} />
          </label>
          <label>
            For <input name="duration" value={values.duration ?? "2h"} size={6} />{" "}
            <span class="muted">(30m, 2h, 1d; at most 30 days)</span>
          </label>
          <label>
            Why <input name="comment" required value={values.comment ?? ""} size={40} />
          </label>
          <button type="submit">Silence</button>
        </form>
      </section>
      <section aria-labelledby="test-title">
        <h2 id="test-title">Test notification</h2>
        <form method="post" class="inline-form">
          <CsrfField state={state} />
          <input type="hidden" name="intent" value="test" />
          <button type="submit">Send a test notification</button>{" "}
          <span class="muted">
            to {overview.webhooks.length} default webhook(s) and every rule's
          </span>
        </form>
      </section>
    </>
  );
}

/** The newest deliveries. */
export function Deliveries({ overview }: { overview: AlertsOverview }) {
  if (overview.deliveries.length === 0) return <p class="muted">Nothing sent yet.</p>;
  return (
    <>
      <p>
        {overview.pendingDeliveries} waiting (or retrying), {overview.failedDeliveries}{" "}
        failed for good.
      </p>
      <table class="deliveries">
        <thead>
          <tr>
            <th>#</th>
            <th>Created</th>
            <th>Alert</th>
            <th>Status</th>
            <th>Webhook</th>
            <th>State</th>
            <th class="num">Attempts</th>
            <th>Last error</th>
          </tr>
        </thead>
        <tbody>
          {overview.deliveries.map((d) => (
            <tr data-delivery={String(d.id)} data-state={d.state}>
              <td>{d.id}</td>
              <td>{time(d.createdAt)}</td>
              <td>
                <code>{d.rule}</code> {d.instance}
              </td>
              <td>{d.status}</td>
              <td>
                {d.url} <span class="muted">({d.format})</span>
              </td>
              <td
                class={d.state === "sent"
                  ? "status-OK"
                  : d.state === "failed"
                  ? "status-STALL"
                  : "status-WARN"}
              >
                {d.state}
                {d.state === "pending" && d.attempts > 0 && <>(next {time(d.nextAt)})</>}
              </td>
              <td class="num">{d.attempts}</td>
              <td class="break">{d.lastError ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** The history, newest first. */
export function History({ overview }: { overview: AlertsOverview }) {
  if (overview.history.length === 0) return <p class="muted">Nothing happened yet.</p>;
  return (
    <table class="alert-history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Rule</th>
          <th>Instance</th>
          <th>Event</th>
          <th>Summary</th>
        </tr>
      </thead>
      <tbody>
        {overview.history.map((e) => (
          <tr data-event={e.event}>
            <td>{time(e.at)}</td>
            <td>
              <code>{e.rule}</code>
            </td>
            <td>{e.instance}</td>
            <td>{e.event}</td>
            <td class="break">{e.summary}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
