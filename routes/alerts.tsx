/**
 * `/alerts`: every rule of alerts.txt with its state and alerts, the
 * file's problems, the last evaluation, silences, the newest deliveries
 * and the history (viewer); operators add and end silences and send a
 * test notification (audited). See docs/operate.md.
 */
import { Time } from "../shared/web/time.tsx";
import { type Handlers, HttpError, type PageProps, type RouteAccess } from "../shared/web/mod.ts";
import { alertsWeb } from "../services/alerts/mod.ts";
import { type AlertsOverview, alertsOverview } from "../services/alerts/web/overview.ts";
import {
  redactUrl,
  silenceAction,
  testAction,
  unsilenceAction,
} from "../services/alerts/web/alert_actions.ts";
import {
  AlertForms,
  Deliveries,
  History,
  RuleTable,
  Silences,
} from "../services/alerts/web/alerts_sections.tsx";
import { formatDuration } from "../services/monitor/mod.ts";
import { toHttpError } from "../shared/web/error_response.ts";
import { formValues, readForm } from "../shared/web/form_body.ts";

/** The page title. */
export const title = "Alerts · Freshet";

/** What the page shows. */
export interface AlertsPageData {
  overview: AlertsOverview;
  notice?: string;
  problems: string[];
  values: Record<string, string>;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "alerts.change" },
};

/** GET: the page; POST: silence, end a silence, or send a test notification. */
export const handler: Handlers<AlertsPageData> = {
  GET(_req, ctx) {
    const overview = alertsOverview(ctx.services.part(alertsWeb));
    return ctx.render({ overview, problems: [], values: {} });
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const values = formValues(form);
    let notice: string | undefined;
    let problems: string[] = [];
    let status = 200;
    try {
      if (values.intent === "silence") {
        const s = silenceAction(ctx, values);
        notice = `Silence #${s.id} holds back ${s.rule} / ${s.instance} until ${
          new Date(s.endsAt).toISOString()
        }.`;
      } else if (values.intent === "unsilence") {
        const s = unsilenceAction(ctx, Number(values.id));
        notice = `Silence #${s.id} ended.`;
      } else if (values.intent === "test") {
        const deliveries = await testAction(ctx);
        notice = `Test notification: ${
          deliveries.map((d) =>
            `${redactUrl(d.url)} ${d.state}${d.lastError ? ` (${d.lastError})` : ""}`
          )
            .join("; ")
        }.`;
      } else throw new HttpError(400, "unknown intent (expected silence, unsilence or test)");
    } catch (error) {
      const http = toHttpError(error);
      if ([401, 403].includes(http.status)) throw http;
      problems = Array.isArray(http.cause) ? http.cause.map(String) : [http.message];
      status = http.status;
    }
    const overview = alertsOverview(ctx.services.part(alertsWeb));
    return ctx.render({ overview, notice, problems, values: problems.length > 0 ? values : {} }, {
      status,
    });
  },
};

/** The page. */
export default function Alerts({ data, state }: PageProps<AlertsPageData>) {
  const { overview } = data;
  const operator = state.user?.role === "operator";
  const last = overview.last;
  return (
    <main class="page wide">
      <h1>Alerts</h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      {data.problems.length > 0 && (
        <div class="problems" role="alert">
          <ul>{data.problems.map((p) => <li key={p}>{p}</li>)}</ul>
        </div>
      )}
      <p>
        Rules from <code>{overview.origin}</code>; {overview.evaluating
          ? `evaluated every ${formatDuration(overview.intervalMs)} by this server`
          : "not evaluated by this server"}
        {last && ("error" in last
          ? <span class="error-text">; the last evaluation failed: {last.error}</span>
          : (
            <>
              ; last at <Time at={last.at} /> ({last.ms}{" "}
              ms{last.unknown.length > 0 ? `; could not observe ${last.unknown.join(", ")}` : ""})
            </>
          ))}. Default webhooks:{" "}
        {overview.webhooks.length === 0
          ? "none (FRESHET_ALERT_WEBHOOK_URL)"
          : overview.webhooks.join(", ")}.
      </p>
      {overview.problem && (
        <div class="problems" role="alert">
          <p>alerts.txt has problems; the rules read before it changed stay in force:</p>
          <pre>{overview.problem}</pre>
        </div>
      )}
      <section aria-labelledby="rules-title">
        <h2 id="rules-title">Rules</h2>
        <RuleTable overview={overview} />
      </section>
      <section aria-labelledby="silences-title">
        <h2 id="silences-title">Silences in force</h2>
        <Silences overview={overview} state={state} operator={operator} />
      </section>
      {operator && <AlertForms overview={overview} state={state} operator values={data.values} />}
      <section aria-labelledby="deliveries-title">
        <h2 id="deliveries-title">Notifications</h2>
        <Deliveries overview={overview} />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <History overview={overview} />
      </section>
    </main>
  );
}
