/**
 * The demands page (OnDutyDoctor of seed 000): this doctor's demands,
 * rendered on the server and kept live by the DemandBoard island; a form
 * sending a new demand to `demands.created`; Assume and Ignore on each
 * pending demand. Every form posts here and works without JavaScript
 * (303 back to the page, or the page again with the problem).
 */
import DemandBoard from "../../islands/DemandBoard.tsx";
import { createDemand } from "../../services/demands/web/create_demand.ts";
import { decide, isDemandAction } from "../../services/demands/web/decide.ts";
import { KNOWN_PRIORITIES } from "../../services/demands/demand.ts";
import {
  type DemandFormValues,
  demandInputFromForm,
  emptyDemandForm,
  type Problem,
  problemLine,
  readDemandForm,
} from "../../services/demands/web/demand_form.ts";
import {
  type DemandFilterValues,
  type DemandRow,
  filterSearch,
  type StatusCounts,
} from "../../services/demands/demand_view.ts";
import {
  countByStatus,
  countDemands,
  listDemands,
  listTypes,
} from "../../services/demands/doctor_db.ts";
import {
  demandTopics,
  doctorOf,
  listFilter,
  parseListQuery,
} from "../../services/demands/web/web.ts";
import {
  type Handlers,
  HttpError,
  type PageProps,
  type RouteAccess,
  type RouteContext,
} from "../../shared/web/mod.ts";
import { readForm } from "../../shared/web/form_body.ts";

/** The page title. */
export const title = "Demands · Freshet";

/** Rows a page of the list shows. */
const PAGE_ROWS = 50;

/** What the page shows. */
export interface DemandsPageData {
  doctor: string;
  topics: { created: string; assumed: string };
  demands: DemandRow[];
  /** Demands passing the filter (all pages). */
  total: number;
  counts: StatusCounts;
  filter: DemandFilterValues;
  types: string[];
  form: DemandFormValues;
  problems: Problem[];
  /** What the last post did (after its redirect). */
  notice?: string;
  /** Why the last post or the filter was refused. */
  error?: string;
}

function pageData(ctx: RouteContext<DemandsPageData>): DemandsPageData {
  const parsed = parseListQuery(ctx.url);
  const q = parsed.ok ? parsed.query : undefined;
  const filter: DemandFilterValues = q
    ? {
      status: q.status,
      priority: q.priority,
      type: q.type,
      sort: q.sort,
      dir: q.dir,
      page: q.page,
    }
    : {};
  const doctor = doctorOf(ctx.services);
  const query = { ...filter, sort: q?.sort, limit: PAGE_ROWS, page: filter.page ?? 1 };
  return {
    doctor: doctor.name,
    topics: demandTopics(ctx.services),
    demands: listDemands(doctor.db, listFilter(query)),
    total: countDemands(doctor.db, query),
    counts: countByStatus(doctor.db),
    filter,
    types: listTypes(doctor.db),
    form: emptyDemandForm(),
    problems: [],
    error: parsed.ok ? undefined : `Filter ignored: ${parsed.problems.map(problemLine).join("; ")}`,
  };
}

function noticeOf(url: URL): string | undefined {
  const param = (name: string) => url.searchParams.get(name);
  if (param("created")) {
    return `Demand ${param("created")} sent to Kafka: it shows below once this doctor's consumer ` +
      "has stored it.";
  }
  if (param("assumed")) return `Demand ${param("assumed")} assumed.`;
  if (param("ignored")) return `Demand ${param("ignored")} ignored.`;
}

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the page; POST: the forms (`intent` = create, assume or ignore). */
export const handler: Handlers<DemandsPageData> = {
  GET(_req, ctx) {
    const data = pageData(ctx);
    return ctx.render({ ...data, notice: noticeOf(ctx.url) }, {
      status: data.error ? 400 : 200,
    });
  },
  async POST(req, ctx) {
    const form = await readForm(req);
    const intent = form.get("intent");
    if (intent === "create") {
      const values = readDemandForm(form);
      const result = await createDemand(ctx.services, demandInputFromForm(values));
      if (!result.ok) {
        return ctx.render({ ...pageData(ctx), form: values, problems: result.problems }, {
          status: 400,
        });
      }
      return redirect(`/demands?created=${encodeURIComponent(result.created.demand.id)}`);
    }
    if (!isDemandAction(intent)) throw new HttpError(400, "unknown form");
    const id = String(form.get("id") ?? "");
    const result = decide(ctx.services, id, intent);
    const data = pageData(ctx);
    if (result.ok) {
      const params = new URLSearchParams(filterSearch(data.filter).slice(1));
      params.set(intent === "assume" ? "assumed" : "ignored", id);
      return redirect(`/demands?${params}`);
    }
    if (result.reason === "not_found") {
      return ctx.render({ ...data, error: `No demand ${id}.` }, { status: 404 });
    }
    const { demand } = result;
    const by = demand.assignedTo ? ` by ${demand.assignedTo}` : "";
    return ctx.render({
      ...data,
      error: `Demand ${id} is already ${demand.status}${by}: only a pending demand can be ${
        intent === "assume" ? "assumed" : "ignored"
      }.`,
    }, { status: 409 });
  },
};

/** The demands page. */
export default function DemandsPage({ data, state }: PageProps<DemandsPageData>) {
  return (
    <main class="page">
      <header>
        <h1>Demands</h1>
        <p class="lead">
          Demands sent to <code>{data.topics.created}</code>{" "}
          (from this page, the API, the producer CLI, kcat or the REST proxy) as doctor{" "}
          <strong>{data.doctor}</strong> received them. Assuming one announces it on{" "}
          <code>{data.topics.assumed}</code>: the first doctor in the log gets it, the others see it
          taken. Ignoring only changes this doctor's list.
        </p>
      </header>
      {data.notice && <p class="notice" role="status">{data.notice}</p>}
      {data.error && <p class="problems" role="alert">{data.error}</p>}
      <DemandBoard
        doctor={data.doctor}
        demands={data.demands}
        total={data.total}
        pageSize={PAGE_ROWS}
        counts={data.counts}
        filter={data.filter}
        priorities={[...KNOWN_PRIORITIES]}
        types={data.types}
        form={data.form}
        problems={data.problems}
        csrfToken={state.csrfToken}
      />
      <p class="muted">
        <a href={`/api/demands${filterSearch(data.filter)}`}>The same list as JSON</a>
      </p>
    </main>
  );
}
