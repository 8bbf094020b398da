/**
 * The demands table of the DemandBoard island. A pending demand has an
 * Assume and an Ignore button in a plain POST form (works without
 * JavaScript); hydrated, the island handles the click in place. Every
 * value is rendered as text.
 */
import type { DemandAction } from "./decide.ts";
import type { DemandRow } from "../demand_view.ts";
import { CSRF_FIELD } from "../../../shared/web/auth/csrf_token.ts";
import { Time } from "../../../shared/web/time.tsx";
import { SortHeader } from "../../../shared/web/paging.tsx";

/** Props of DemandTable. */
export interface DemandTableProps {
  rows: DemandRow[];
  /** The page's query string (`?status=…`), kept across a form post. */
  search: string;
  /** Ids with a decision on its way, and which. */
  busy: Record<string, DemandAction>;
  /** Last error per id. */
  errors: Record<string, string>;
  /** Hydrated: called instead of posting the form. */
  onDecide?: (id: string, action: DemandAction) => void;
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
  /** The list's sort column and direction, the link of another, and (hydrated) the handler. */
  sort: string;
  dir: "asc" | "desc";
  sortHref: (column: string, dir: "asc" | "desc") => string;
  onSort?: (column: string, dir: "asc" | "desc") => void;
}

/** A latitude or longitude to at most 5 decimals (about a metre). */
function coordinate(value: number): string {
  return String(Number(value.toFixed(5)));
}

function Actions(
  { row, search, busy, onDecide, csrfToken }: {
    row: DemandRow;
    search: string;
    busy?: DemandAction;
    onDecide?: DemandTableProps["onDecide"];
    csrfToken?: string;
  },
) {
  if (row.status !== "pending" && !busy) return null;
  const submit = (event: SubmitEvent) => {
    if (!onDecide) return;
    event.preventDefault();
    const action = (event.submitter as HTMLButtonElement | null)?.value;
    if (action === "assume" || action === "ignore") onDecide(row.id, action);
  };
  return (
    <form method="post" action={`/demands${search}`} class="decide" onSubmit={submit}>
      {csrfToken && <input type="hidden" name={CSRF_FIELD} value={csrfToken} />}
      <input type="hidden" name="id" value={row.id} />
      <button type="submit" name="intent" value="assume" disabled={Boolean(busy)}>
        {busy === "assume" ? "Assuming…" : "Assume"}
      </button>{" "}
      <button type="submit" name="intent" value="ignore" disabled={Boolean(busy)}>
        {busy === "ignore" ? "Ignoring…" : "Ignore"}
      </button>
    </form>
  );
}

/** The table (or a line saying there is nothing to show). */
export function DemandTable(props: DemandTableProps) {
  const { rows, search, busy, errors, onDecide, csrfToken } = props;
  if (rows.length === 0) return <p class="empty">No demand to show.</p>;
  const sortable = (label: string, column: string, firstDir: "asc" | "desc" = "asc") => (
    <SortHeader
      label={label}
      column={column}
      sort={props.sort}
      dir={props.dir}
      firstDir={firstDir}
      href={props.sortHref}
      onSort={props.onSort}
    />
  );
  return (
    <table class="demands">
      <thead>
        <tr>
          <th scope="col">Demand</th>
          {sortable("Type", "type")}
          {sortable("Priority", "priority", "desc")}
          <th scope="col">Location</th>
          {sortable("Received", "received", "desc")}
          {sortable("Status", "status")}
          <th scope="col">Assumed by</th>
          <th scope="col">Actions</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id} data-demand={row.id}>
            <th scope="row" class="id">
              <a href={`/api/demands/${encodeURIComponent(row.id)}`}>{row.id}</a>
            </th>
            <td data-field="type">{row.type}</td>
            <td data-field="priority">{row.priority}</td>
            <td class="num">{coordinate(row.lat)}, {coordinate(row.lng)}</td>
            <td>
              <Time at={row.receivedAt} relative />
            </td>
            <td data-field="status">
              <span class={`status status-${row.status}`}>{row.status}</span>
            </td>
            <td data-field="assignedTo">{row.assignedTo ?? ""}</td>
            <td>
              <Actions
                row={row}
                search={search}
                busy={busy[row.id]}
                onDecide={onDecide}
                csrfToken={csrfToken}
              />
              {errors[row.id] && (
                <span class="row-error" role="alert" data-field="error">{errors[row.id]}</span>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
