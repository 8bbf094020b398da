/**
 * The message browser's form (a plain GET form, so it works without
 * JavaScript): where to start, which partition, how many, the filters and
 * the search budget. Field names are the query parameters of the API.
 */
import { DEFAULT_BUDGET, MAX_PAGE_SIZE } from "../browse_types.ts";
import { DEFAULT_PAGE_SIZE } from "../browse_query.ts";

/** Props of BrowseForm. */
export interface BrowseFormProps {
  action: string;
  partitions: number[];
  /** Current values, by query parameter name. */
  values: Record<string, string>;
  onSubmit?: (event: SubmitEvent) => void;
}

function MatchSelect(
  { name, value, fallback }: { name: string; value?: string; fallback: string },
) {
  const current = value || fallback;
  return (
    <select name={name} aria-label={`${name.replace("Match", "")} match`}>
      <option value="contains" selected={current === "contains"}>contains</option>
      <option value="equals" selected={current === "equals"}>equals</option>
    </select>
  );
}

/** The form. */
export function BrowseForm({ action, partitions, values, onSubmit }: BrowseFormProps) {
  const v = (name: string) => values[name] ?? "";
  const seek = v("seek") || "newest";
  return (
    <form class="browse-form" method="get" action={action} onSubmit={onSubmit}>
      <fieldset>
        <legend>Start</legend>
        <label>
          From{" "}
          <select name="seek">
            {[["newest", "newest"], ["oldest", "oldest"], ["offset", "offset"], [
              "timestamp",
              "time",
            ]].map(([value, label]) => (
              <option value={value} selected={seek === value}>{label}</option>
            ))}
          </select>
        </label>
        <label>
          Offset <input name="offset" inputMode="numeric" size={10} value={v("offset")} />
        </label>
        <label>
          Time{" "}
          <input
            name="timestamp"
            size={24}
            placeholder="2024-05-01T10:00:00Z"
            value={v("timestamp")}
          />
        </label>
        <label>
          Partition{" "}
          <select name="partition">
            <option value="all">all</option>
            {partitions.map((p) => (
              <option value={String(p)} selected={v("partition") === String(p)}>{p}</option>
            ))}
          </select>
        </label>
        <label>
          Messages{" "}
          <input
            name="limit"
            type="number"
            min={1}
            max={MAX_PAGE_SIZE}
            value={v("limit") || String(DEFAULT_PAGE_SIZE)}
          />
        </label>
      </fieldset>
      <fieldset>
        <legend>Filters (plain text, case-sensitive)</legend>
        <label>
          Key <MatchSelect name="keyMatch" value={v("keyMatch")} fallback="equals" />{" "}
          <input name="key" value={v("key")} />
        </label>
        <label>
          Value <MatchSelect name="valueMatch" value={v("valueMatch")} fallback="contains" />{" "}
          <input name="value" value={v("value")} />
        </label>
        <label>
          Header <input name="header" placeholder="name" size={12} value={v("header")} />{" "}
          <MatchSelect name="headerMatch" value={v("headerMatch")} fallback="contains" />{" "}
          <input name="headerValue" placeholder="value (optional)" value={v("headerValue")} />
        </label>
        <label>
          <input
            type="checkbox"
            name="everyPartition"
            value="1"
            checked={v("everyPartition") === "1"}
          />{" "}
          search an exact key in every partition
        </label>
        <details>
          <summary>Search budget</summary>
          <label>
            At most{" "}
            <input
              name="maxMessages"
              type="number"
              min={1}
              value={v("maxMessages") || String(DEFAULT_BUDGET.maxMessages)}
            />{" "}
            messages
          </label>
          <label>
            and{" "}
            <input
              name="maxMs"
              type="number"
              min={100}
              value={v("maxMs") || String(DEFAULT_BUDGET.maxMs)}
            />{" "}
            ms
          </label>
        </details>
      </fieldset>
      <button type="submit">Show</button>
    </form>
  );
}
