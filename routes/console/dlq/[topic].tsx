/**
 * `/console/dlq/:topic`: the dead letters of one `.dlq` topic (newest
 * first, the message browser's query and filters), each with its reason,
 * origin and redrive state, and its message as a row that opens (open
 * when it is the only one). Operators redrive a selection (checkboxes) or
 * every dead letter matching the filter, optionally repeating ones sent
 * before; "Redrive all" first shows how many would go back and where, and
 * asks once (services/console/web/redrive_confirm.tsx). The forms post
 * here and work without JavaScript (303 back with what happened, or the
 * page again with the plan or the problem).
 */
import { DeadLetterCard } from "../../../services/console/dlq/web/dead_letter_card.tsx";
import {
  type DeadLetterPage,
  deadLetterPage,
  dlqTopicParam,
} from "../../../services/console/dlq/web/dlq_reads.ts";
import {
  planRedriveAction,
  redriveAction,
  redriveTopicParam,
} from "../../../services/console/dlq/web/redrive_action.ts";
import type { RedrivePlan } from "../../../services/console/dlq/redrive.ts";
import { RedriveConfirm } from "../../../services/console/web/redrive_confirm.tsx";
import { formFields, parseRedriveInput } from "../../../services/console/dlq/web/redrive_input.ts";
import { parseBrowseQuery } from "../../../services/console/messages/browse_query.ts";
import { topicParam } from "../../../services/console/messages/web/topic_param.ts";
import { ConsoleNav } from "../../../services/console/web/console_nav.tsx";
import { CsrfField } from "../../../shared/web/auth/mod.ts";
import { Handlers, PageProps, RouteAccess, RouteContext } from "../../../shared/web/mod.ts";
import { readForm } from "../../../shared/web/form_body.ts";

/** The page title. */
export const title = "Dead letters · Console · Freshet";

/** What the page shows. */
export interface DlqPageData {
  topic: string;
  page?: DeadLetterPage;
  values: Record<string, string>;
  notice?: string;
  problems: string[];
  /** "Redrive all" asked: what it would do, waiting for the confirmation. */
  plan?: { plan: RedrivePlan; filter: Record<string, string>; repeat: boolean };
}

const FILTER_NAMES = [
  "key",
  "keyMatch",
  "value",
  "valueMatch",
  "header",
  "headerValue",
  "headerMatch",
];

async function pageData(
  ctx: RouteContext<DlqPageData>,
  extra: Partial<DlqPageData> = {},
): Promise<DlqPageData> {
  const topic = dlqTopicParam(topicParam(ctx.params));
  const values = Object.fromEntries(ctx.url.searchParams);
  const parsed = parseBrowseQuery(ctx.url.searchParams);
  if (!parsed.ok) return { topic, values, problems: parsed.problems, ...extra };
  const here = `/console/dlq/${encodeURIComponent(topic)}`;
  const page = await deadLetterPage(ctx.services, { topic, ...parsed.request }, {
    query: new URLSearchParams(values),
    base: here,
    user: ctx.state.user,
  });
  return { topic, page, values, problems: [], ...extra };
}

/** The filter's fields that are set, from a form or a query. */
function filterOf(get: (name: string) => unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FILTER_NAMES) {
    const value = get(name);
    if (typeof value === "string" && value !== "") out[name] = value;
  }
  return out;
}

function noticeOf(url: URL): string | undefined {
  const q = url.searchParams;
  if (!q.has("redriven")) return undefined;
  return `Redriven: ${q.get("redriven")}; skipped: ${q.get("skipped") ?? 0}; failed: ${
    q.get("failed") ?? 0
  }.${q.get("why") ? ` ${q.get("why")}` : ""}`;
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = {
  GET: "viewer",
  POST: { role: "operator", audit: "dlq.redrive" },
};

/** GET: the dead letters; POST: a redrive. */
export const handler: Handlers<DlqPageData> = {
  async GET(_req, ctx) {
    return ctx.render(await pageData(ctx, { notice: noticeOf(ctx.url) }));
  },
  async POST(req, ctx) {
    const topic = await redriveTopicParam(ctx, topicParam(ctx.params));
    const form = await readForm(req);
    const fields = formFields(form);
    const input = parseRedriveInput(fields);
    if (!input.ok) {
      return ctx.render(await pageData(ctx, { problems: input.problems }), { status: 400 });
    }
    const filter = filterOf((name) => form.get(name));
    if (input.value.messages === undefined && (fields.confirm !== "1" || input.value.dryRun)) {
      const plan = await planRedriveAction(ctx, topic, input.value);
      return ctx.render(
        await pageData(ctx, { plan: { plan, filter, repeat: input.value.repeat } }),
      );
    }
    const result = await redriveAction(ctx, topic, input.value);
    const back = new URLSearchParams(filter);
    back.set("redriven", String(result.redriven.length));
    back.set("skipped", String(result.skipped.length));
    back.set("failed", String(result.failed.length));
    const why = [...result.skipped.slice(0, 3), ...result.failed.slice(0, 3)]
      .map((x) => `${x.partition}:${x.offset} ${"reason" in x ? x.reason : x.error}`)
      .join("; ");
    if (why) back.set("why", why);
    return new Response(null, {
      status: 303,
      headers: { location: `/console/dlq/${encodeURIComponent(topic)}?${back}` },
    });
  },
};

function FilterFields({ values, hidden }: { values: Record<string, string>; hidden?: boolean }) {
  if (hidden) {
    return (
      <>
        {FILTER_NAMES.filter((n) => values[n]).map((n) => (
          <input key={n} type="hidden" name={n} value={values[n]} />
        ))}
      </>
    );
  }
  return (
    <>
      <label>
        Key <input name="key" value={values.key ?? ""} />
      </label>
      <label>
        Value contains <input name="value" value={values.value ?? ""} />
      </label>
      <label>
        Header{" "}
        <input
          name="header"
          size={14}
          placeholder="e.g. dlq_error_code"
          value={values.header ?? ""}
        />{" "}
        <input name="headerValue" placeholder="contains…" value={values.headerValue ?? ""} />
      </label>
    </>
  );
}

/** The page. */
export default function DlqTopic({ data, url, state }: PageProps<DlqPageData>) {
  const { page, values } = data;
  const operator = state.user?.role === "operator";
  const here = `/console/dlq/${encodeURIComponent(data.topic)}`;
  const filter = filterOf((name) => values[name]);
  const filtered = Object.keys(filter).length > 0;
  const sameFilter = filtered ? `${here}?${new URLSearchParams(filter)}` : here;
  return (
    <main class="page wide">
      <ConsoleNav url={url} state={state} />
      <h1 class="break">Dead letters of {data.topic}</h1>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      {data.problems.length > 0 && (
        <ul class="problems" role="alert">
          {data.problems.map((p) => <li key={p}>{p}</li>)}
        </ul>
      )}
      {data.plan && operator && (
        <RedriveConfirm
          dlqTopic={data.topic}
          plan={data.plan.plan}
          filter={data.plan.filter}
          repeat={data.plan.repeat}
          state={state}
          back={sameFilter}
        />
      )}
      <form method="get" action={here} class="browse-form">
        <FilterFields values={values} />
        <button type="submit">Filter</button>
      </form>
      {operator && (
        <section class="redrive-forms" aria-label="Redrive">
          <form method="post" action={here} id="redrive-selected">
            <CsrfField state={state} />
            <FilterFields values={values} hidden />
            <label>
              <input type="checkbox" name="repeat" value="1" /> repeat dead letters redriven before
            </label>{" "}
            <button type="submit">Redrive selected</button>
          </form>
          <form method="post" action={sameFilter} id="redrive-all">
            <CsrfField state={state} />
            <input type="hidden" name="all" value="1" />
            <FilterFields values={values} hidden />
            <label>
              <input type="checkbox" name="repeat" value="1" /> include those redriven before
            </label>{" "}
            <button type="submit">
              {filtered ? "Redrive all matching the filter…" : "Redrive all…"}
            </button>
          </form>
        </section>
      )}
      {page && (
        <section class="results" aria-label="Dead letters">
          {page.scan && (
            <p class="scan-summary" data-stop={page.scan.stop}>
              Searched {page.scan.scanned.toLocaleString("en-US")} dead letter(s),{" "}
              {page.scan.matched} matched.
            </p>
          )}
          <p class="pager">
            {page.links.older && <a href={page.links.older}>← Older</a>}
            <a href={page.links.newer}>Newer →</a>
          </p>
          {page.messages.length === 0
            ? <p class="empty">No dead letters here.</p>
            : page.messages.map((
              letter,
            ) => (
              <DeadLetterCard
                key={`${letter.partition}:${letter.offset}`}
                letter={letter}
                select={operator}
                open={page.messages.length === 1}
              />
            ))}
        </section>
      )}
    </main>
  );
}
