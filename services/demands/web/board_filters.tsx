/**
 * The counts per status and the filter form of the DemandBoard island. The
 * form is a plain GET form (`/demands?status=&priority=&type=`) that works
 * without JavaScript; hydrated, the island applies a change at once.
 */
import { useState } from "preact/hooks";
import { DEMAND_STATUSES, type DemandFilterValues, type StatusCounts } from "../demand_view.ts";

/** Props of DemandCounts. */
export interface DemandCountsProps {
  counts: StatusCounts;
}

/** `pending 3 · assumed 1 · …` */
export function DemandCounts({ counts }: DemandCountsProps) {
  return (
    <p class="demand-counts" aria-label="Demands per status">
      {DEMAND_STATUSES.map((status, i) => (
        <span key={status} data-count={status}>
          {i > 0 && " · "}
          <span class={`status status-${status}`}>{status}</span> <strong>{counts[status]}</strong>
        </span>
      ))}
    </p>
  );
}

/** Props of DemandFilters. */
export interface DemandFiltersProps {
  filter: DemandFilterValues;
  /** Priorities offered (the filter's own is added when missing). */
  priorities: string[];
  /** Types offered as suggestions. */
  types: string[];
  /** Hydrated: called with the form's values on change and on submit. */
  onFilter?: (filter: DemandFilterValues) => void;
}

function readFilter(form: HTMLFormElement): DemandFilterValues {
  const data = new FormData(form);
  const value = (name: string) => String(data.get(name) ?? "").trim() || undefined;
  return {
    status: value("status") as DemandFilterValues["status"],
    priority: value("priority"),
    type: value("type"),
  };
}

/** The filter form. */
export function DemandFilters({ filter, priorities, types, onFilter }: DemandFiltersProps) {
  // Controlled, so a re-render (a live update) never undoes typing.
  const [typeText, setTypeText] = useState(filter.type ?? "");
  const apply = (event: Event) => {
    if (!onFilter) return;
    event.preventDefault();
    onFilter(readFilter(event.currentTarget as HTMLFormElement));
  };
  const offered = filter.priority && !priorities.includes(filter.priority)
    ? [...priorities, filter.priority]
    : priorities;
  return (
    <form
      class="filters demand-filters"
      method="get"
      action="/demands"
      onSubmit={apply}
      onChange={apply}
    >
      <label>
        Status{" "}
        <select name="status">
          <option value="" selected={!filter.status}>any</option>
          {DEMAND_STATUSES.map((status) => (
            <option key={status} value={status} selected={filter.status === status}>
              {status}
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        Priority{" "}
        <select name="priority">
          <option value="" selected={!filter.priority}>any</option>
          {offered.map((priority) => (
            <option key={priority} value={priority} selected={filter.priority === priority}>
              {priority}
            </option>
          ))}
        </select>
      </label>{" "}
      <label>
        Type{" "}
        <input
          name="type"
          value={typeText}
          onInput={(event) => setTypeText((event.target as HTMLInputElement).value)}
          list="demand-types"
          maxLength={100}
          size={14}
          placeholder="any"
        />
        <datalist id="demand-types">
          {types.map((type) => <option key={type} value={type} />)}
        </datalist>
      </label>{" "}
      {filter.sort && <input type="hidden" name="sort" value={filter.sort} />}
      {filter.dir && <input type="hidden" name="dir" value={filter.dir} />}
      <button type="submit">Filter</button>
    </form>
  );
}
