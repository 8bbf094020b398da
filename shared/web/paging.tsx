/**
 * Paging and sorting of long lists on the server (the rows of a page come
 * from the store, so every link works without JavaScript): `Pager` says
 * which rows are shown of how many and links the first, previous, next and
 * last pages; `SortHeader` is a column header linking the list sorted by
 * it (again: the other direction). Browser-safe: islands render them too.
 */

/** Props of Pager. */
export interface PagerProps {
  /** Page shown, from 1. */
  page: number;
  pageSize: number;
  /** Rows in every page. */
  total: number;
  /** The link of page `n`. */
  href: (n: number) => string;
  /** What a row is, plural (`demands`). */
  noun: string;
  /** Called instead of following a link (hydrated islands), when given. */
  onPage?: (n: number) => void;
}

const count = (n: number) => n.toLocaleString("en-US");

/** Last page of `total` rows (at least 1). */
export function lastPage(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** "51–100 of 815 demands · « First ‹ Previous Next › Last »". */
export function Pager({ page, pageSize, total, href, noun, onPage }: PagerProps) {
  const last = lastPage(total, pageSize);
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const end = Math.min(total, page * pageSize);
  const link = (n: number, label: string, rel?: string) => {
    if (n < 1 || n > last || n === page) return <span class="muted">{label}</span>;
    return (
      <a
        href={href(n)}
        rel={rel}
        onClick={onPage
          ? (e: MouseEvent) => {
            e.preventDefault();
            onPage(n);
          }
          : undefined}
      >
        {label}
      </a>
    );
  };
  return (
    <nav class="pager" aria-label={`Pages of ${noun}`} data-page={page} data-total={total}>
      <span class="pager-range">
        {total === 0 ? `no ${noun}` : `${count(first)}–${count(end)} of ${count(total)} ${noun}`}
        {last > 1 && ` · page ${count(page)} of ${count(last)}`}
      </span>
      {last > 1 && (
        <span class="pager-links">
          {link(1, "« First")} {link(page - 1, "‹ Previous", "prev")}{" "}
          {link(page + 1, "Next ›", "next")} {link(last, "Last »")}
        </span>
      )}
    </nav>
  );
}

/** Props of SortHeader. */
export interface SortHeaderProps {
  label: string;
  column: string;
  /** The list's sort column and direction now. */
  sort: string;
  dir: "asc" | "desc";
  /** Direction of a first click on this column. */
  firstDir?: "asc" | "desc";
  /** The link of the list sorted by `column` in `dir` (from its first page). */
  href: (column: string, dir: "asc" | "desc") => string;
  class?: string;
  onSort?: (column: string, dir: "asc" | "desc") => void;
}

/** A column header that sorts the list by its column. */
export function SortHeader(props: SortHeaderProps) {
  const current = props.sort === props.column;
  const next = current ? (props.dir === "asc" ? "desc" : "asc") : props.firstDir ?? "asc";
  return (
    <th
      scope="col"
      class={props.class}
      aria-sort={current ? (props.dir === "asc" ? "ascending" : "descending") : undefined}
    >
      <a
        class="sort"
        href={props.href(props.column, next)}
        onClick={props.onSort
          ? (e: MouseEvent) => {
            e.preventDefault();
            props.onSort!(props.column, next);
          }
          : undefined}
      >
        {props.label}
        {current ? (props.dir === "asc" ? " ▲" : " ▼") : ""}
      </a>
    </th>
  );
}

/** One page of an in-memory list, and the link of any page of it. */
export interface RowsPage<T> {
  rows: T[];
  page: number;
  pageSize: number;
  total: number;
  /** `url` with `page=n` (page 1: no `page`), its other parameters kept. */
  href: (n: number) => string;
}

/**
 * The page of `rows` that `url`'s `page` asks for (from 1; past the end:
 * the last page; not a number: the first), `pageSize` rows a page. For
 * lists read whole from Kafka (topics, groups, dead-letter topics), so the
 * page holds a bounded number of rows however many there are.
 */
export function pageRows<T>(rows: readonly T[], url: URL, pageSize: number): RowsPage<T> {
  const asked = Number.parseInt(url.searchParams.get("page") ?? "1", 10);
  const last = lastPage(rows.length, pageSize);
  const page = Number.isFinite(asked) ? Math.min(Math.max(1, asked), last) : 1;
  const href = (n: number) => {
    const query = new URLSearchParams(url.searchParams);
    if (n <= 1) query.delete("page");
    else query.set("page", String(n));
    const q = query.toString();
    return q ? `${url.pathname}?${q}` : url.pathname;
  };
  return {
    rows: rows.slice((page - 1) * pageSize, page * pageSize),
    page,
    pageSize,
    total: rows.length,
    href,
  };
}
