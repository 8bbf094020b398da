/**
 * The doctor's demands on the `/demands` page: counts per status, filters,
 * the table with Assume and Ignore, and the new-demand form. Rendered on
 * the server (every form works without JavaScript); hydrated, new demands
 * appear live from the `demands` bus topic (the doctor consumer's notes,
 * via SSE), decisions show at once (optimistically, put back with the
 * reason when the server refuses) and filters apply without a reload.
 * Every value is rendered as text.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { DemandCounts, DemandFilters } from "../services/demands/web/board_filters.tsx";
import { NewDemandForm } from "../services/demands/web/board_form.tsx";
import { DemandTable } from "../services/demands/web/board_table.tsx";
import type { DemandAction } from "../services/demands/web/decide.ts";
import {
  type DemandFormValues,
  demandInputFromForm,
  emptyDemandForm,
  type Problem,
  readDemandForm,
} from "../services/demands/web/demand_form.ts";
import {
  type DemandFilterValues,
  type DemandRow,
  DEMANDS_BUS_TOPIC,
  type DemandStatus,
  filterSearch,
  matchesFilter,
  parseDemandNote,
  recount,
  type StatusCounts,
  upsertDemand,
} from "../services/demands/demand_view.ts";
import { useLiveStatus } from "../shared/web/live.ts";
import { Pager } from "../shared/web/paging.tsx";
import { LiveIndicator } from "../shared/web/live_indicator.tsx";

/** Props of DemandBoard. */
export interface DemandBoardProps {
  /** This server's doctor: only its notes are followed. */
  doctor: string;
  /** The page of demands passing `filter` when the page was rendered. */
  demands: DemandRow[];
  /** Demands passing `filter`, every page. */
  total: number;
  /** Rows a page shows. */
  pageSize: number;
  counts: StatusCounts;
  filter: DemandFilterValues;
  /** Priorities offered by the form and the filter. */
  priorities: string[];
  /** Types seen, offered as filter suggestions. */
  types: string[];
  /** The new-demand form's values and problems (after a refused post without JavaScript). */
  form: DemandFormValues;
  problems: Problem[];
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
}

const OPTIMISTIC: Record<DemandAction, DemandStatus> = { assume: "assumed", ignore: "ignored" };

interface Board {
  rows: DemandRow[];
  counts: StatusCounts;
  total: number;
}

type ApiError = { error?: { message?: string; current?: string; problems?: Problem[] } };

async function postJson(
  url: string,
  body?: unknown,
  csrfToken?: string,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/json",
      ...(csrfToken ? { "x-csrf-token": csrfToken } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => ({})) };
}

/** The board. */
export default function DemandBoard(props: DemandBoardProps) {
  const { doctor, priorities } = props;
  const [board, setBoard] = useState<Board>({
    rows: props.demands,
    counts: props.counts,
    total: props.total,
  });
  const [filter, setFilter] = useState(props.filter);
  const [busy, setBusy] = useState<Record<string, DemandAction>>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [problems, setProblems] = useState(props.problems);
  const [notice, setNotice] = useState<string>();
  const [sending, setSending] = useState(false);
  /** Bumped after a demand is sent: the form starts again, empty. */
  const [formKey, setFormKey] = useState(0);
  const [hydrated, setHydrated] = useState(false);
  const filterRef = useRef(filter);
  filterRef.current = filter;
  const boardRef = useRef(board);
  boardRef.current = board;
  const countsTimer = useRef<ReturnType<typeof setTimeout>>();
  const reloadTimer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => setHydrated(true), []);

  /** Counts from the server, soon (a change of a demand this page does not list). */
  const refreshCounts = () => {
    clearTimeout(countsTimer.current);
    countsTimer.current = setTimeout(async () => {
      const response = await fetch("/api/demands?limit=1").catch(() => undefined);
      const body = await response?.json().catch(() => undefined);
      if (body?.counts) setBoard((b) => ({ ...b, counts: body.counts }));
    }, 300);
  };

  const live = useLiveStatus([DEMANDS_BUS_TOPIC], (message) => {
    if (message.type === "bulk") {
      // Too many changes to send one by one (a burst): fetch the list again, at most every 300 ms.
      clearTimeout(reloadTimer.current);
      reloadTimer.current = setTimeout(() => applyFilter(filterRef.current), 300);
      return;
    }
    const note = parseDemandNote(message.data);
    if (!note || note.doctor !== doctor) return;
    const row = note.demand;
    const listed = boardRef.current.rows.some((r) => r.id === row.id);
    if (!listed && message.type !== "created") refreshCounts(); // its old status is unknown here
    setBoard((b) => {
      const known = b.rows.find((r) => r.id === row.id);
      if (!known) {
        const counts = message.type === "created"
          ? recount(b.counts, undefined, row.status)
          : b.counts;
        if (!matchesFilter(row, filterRef.current)) return { ...b, counts };
        const total = b.total + 1;
        // A new demand belongs on top of the first page of the newest-first list only.
        const f = filterRef.current;
        const onTop = (f.page ?? 1) === 1 && (f.sort ?? "received") === "received" &&
          (f.dir ?? "desc") === "desc";
        if (!onTop) return { ...b, counts, total };
        return { rows: upsertDemand(b.rows, row).slice(0, props.pageSize), counts, total };
      }
      if (message.type === "created") return b; // never hides a newer update
      return {
        ...b,
        rows: upsertDemand(b.rows, row),
        counts: recount(b.counts, known.status, row.status),
      };
    });
  }, { onResync: () => applyFilter(filterRef.current) });

  const decideDemand = async (id: string, action: DemandAction) => {
    const before = board.rows.find((r) => r.id === id);
    if (!before || busy[id]) return;
    const put = (row: DemandRow) =>
      setBoard((b) => {
        const current = b.rows.find((r) => r.id === row.id);
        return {
          ...b,
          rows: upsertDemand(b.rows, row),
          counts: recount(b.counts, current?.status, row.status),
        };
      });
    setBusy((s) => ({ ...s, [id]: action }));
    setErrors(({ [id]: _, ...rest }) => rest);
    put({ ...before, status: OPTIMISTIC[action] });
    let error: string | undefined;
    try {
      const url = `/api/demands/${encodeURIComponent(id)}/${action}`;
      const { status, body } = await postJson(url, undefined, props.csrfToken);
      if (status === 200) put(body as DemandRow);
      else {
        const e = (body as ApiError).error;
        const current = e?.current;
        if (status === 409 && current && current === OPTIMISTIC[action]) {
          put({ ...before, status: current }); // already done (e.g. a second tab)
        } else {
          put(status === 409 && current ? { ...before, status: current as DemandStatus } : before);
          error = e?.message ?? `the server answered ${status}`;
        }
      }
    } catch {
      put(before);
      error = "the server could not be reached";
    }
    setBusy(({ [id]: _, ...rest }) => rest);
    if (error) setErrors((s) => ({ ...s, [id]: error! }));
  };

  const applyFilter = async (next: DemandFilterValues) => {
    setFilter(next);
    filterRef.current = next;
    const search = filterSearch(next);
    history.replaceState(null, "", `/demands${search}`);
    const query = new URLSearchParams(search.slice(1));
    query.set("limit", String(props.pageSize));
    const response = await fetch(`/api/demands?${query}`).catch(() => undefined);
    const body = await response?.json().catch(() => undefined);
    if (response?.ok && filterRef.current === next) {
      setBoard({ rows: body.demands, counts: body.counts, total: body.total });
    }
  };

  const createDemand = async (form: HTMLFormElement) => {
    if (sending) return;
    const values = readDemandForm(new FormData(form));
    setSending(true);
    setNotice(undefined);
    try {
      const { status, body } = await postJson(
        "/api/demands",
        demandInputFromForm(values),
        props.csrfToken,
      );
      if (status === 201) {
        const { demand, partition, offset } = body as {
          demand: { id: string };
          partition: number;
          offset: number;
        };
        setProblems([]);
        setNotice(`Demand ${demand.id} sent (partition ${partition}, offset ${offset}).`);
        setFormKey((k) => k + 1);
      } else {
        const e = (body as ApiError).error;
        setProblems(e?.problems ?? [{ path: "body", message: e?.message ?? `error ${status}` }]);
      }
    } catch {
      setProblems([{ path: "body", message: "the server could not be reached" }]);
    }
    setSending(false);
  };

  const search = filterSearch(filter);
  const types = [...new Set([...props.types, ...board.rows.map((r) => r.type)])].sort();
  return (
    <div class="board demand-board" data-hydrated={hydrated ? "yes" : undefined}>
      <section aria-labelledby="new-demand-title">
        <h2 id="new-demand-title">New demand</h2>
        <NewDemandForm
          key={formKey}
          values={formKey === 0 ? props.form : emptyDemandForm()}
          problems={problems}
          priorities={priorities}
          busy={sending}
          notice={notice}
          onCreate={hydrated ? createDemand : undefined}
          csrfToken={props.csrfToken}
        />
      </section>
      <section aria-labelledby="demands-title">
        <h2 id="demands-title">Demands of doctor {doctor}</h2>
        <LiveIndicator status={live} />
        <DemandCounts counts={board.counts} />
        <DemandFilters
          filter={filter}
          priorities={priorities}
          types={types}
          onFilter={hydrated
            ? (next) => applyFilter({ ...next, sort: filter.sort, dir: filter.dir, page: 1 })
            : undefined}
        />
        <Pager
          page={filter.page ?? 1}
          pageSize={props.pageSize}
          total={board.total}
          noun="demands"
          href={(n) => `/demands${filterSearch({ ...filter, page: n })}`}
          onPage={hydrated ? (n) => applyFilter({ ...filter, page: n }) : undefined}
        />
        <DemandTable
          sort={filter.sort ?? "received"}
          dir={filter.dir ?? "desc"}
          sortHref={(sort, dir) => `/demands${filterSearch({ ...filter, sort, dir, page: 1 })}`}
          onSort={hydrated
            ? (sort, dir) => applyFilter({ ...filter, sort, dir, page: 1 })
            : undefined}
          rows={board.rows}
          search={search}
          busy={busy}
          errors={errors}
          onDecide={hydrated ? decideDemand : undefined}
          csrfToken={props.csrfToken}
        />
      </section>
    </div>
  );
}
