/**
 * The browser's part of what a page rendered on the server (the shell adds
 * it below a page that needs it, shared/web/page_features.ts):
 *
 * - times: the line saying how times are shown, with the switch between
 *   the browser's local time (its zone named) and UTC, remembered per
 *   browser (shared/web/time.tsx); it rewrites the page's times outside
 *   islands (islands render theirs) and keeps relative ones current.
 *   Without JavaScript the page says its times are in UTC.
 * - sort: every `table[data-sortable]` outside islands sorts by a click on
 *   a column's header (numbers as numbers, a cell's `data-sort` first).
 * - copy: every `button.copy[data-copy]` copies its text (shown once this
 *   runs: `html.tools-ready`).
 */
import { useEffect, useState } from "preact/hooks";
import type { PageFeature } from "../shared/web/page_features.ts";
import {
  formatTime,
  localZoneName,
  relativeTime,
  setTimeZoneChoice,
  type TimeZoneChoice,
  useTimeZone,
} from "../shared/web/time.tsx";

/** Props of PageTools. */
export interface PageToolsProps {
  /** What the page used. */
  features: PageFeature[];
}

/** Rewrites every `<time data-t>` outside islands for `zone`. */
function rewriteTimes(zone: TimeZoneChoice): void {
  const now = Date.now();
  for (const el of document.querySelectorAll<HTMLElement>("time[data-t]")) {
    if (el.closest("freshet-island")) continue;
    const ms = Number(el.dataset.t);
    const options = { date: el.dataset.date !== "0", seconds: el.dataset.sec !== "0" };
    const absolute = formatTime(ms, zone, options);
    if (el.dataset.rel) {
      el.textContent = relativeTime(ms, now);
      el.title = absolute;
    } else {
      el.textContent = absolute;
      el.title = formatTime(ms, zone === "utc" ? "local" : "utc", options);
    }
  }
}

/** A cell's value for sorting: its `data-sort`, else its text (a number when it reads as one). */
function sortKey(cell: Element | undefined): string | number {
  const raw = (cell as HTMLElement | undefined)?.dataset.sort ?? cell?.textContent ?? "";
  const text = raw.trim();
  const number = Number(text.replaceAll(",", ""));
  return text !== "" && Number.isFinite(number) ? number : text.toLowerCase();
}

function compare(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a.localeCompare(b);
}

/** Makes the headers of `table` sort its rows. */
function enhanceTable(table: HTMLTableElement): void {
  if (table.dataset.sortReady) return;
  table.dataset.sortReady = "yes";
  const headers = [...table.tHead?.rows[0]?.cells ?? []];
  headers.forEach((th, column) => {
    if (th.dataset.nosort !== undefined || th.colSpan > 1) return;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "sort";
    button.append(...th.childNodes);
    th.append(button);
    button.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      for (const other of headers) other.removeAttribute("aria-sort");
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      for (const body of table.tBodies) {
        const rows = [...body.rows];
        rows.sort((x, y) => {
          const order = compare(sortKey(x.cells[column]), sortKey(y.cells[column]));
          return ascending ? order : -order;
        });
        body.append(...rows);
      }
    });
  });
}

/** Copies `text`; the Clipboard API where the page may use it, else a selected textarea. */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
    return;
  } catch { /* not a secure context, or refused: the old way */ }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.className = "copy-buffer";
  document.body.append(area);
  area.select();
  document.execCommand("copy");
  area.remove();
}

function onCopyClick(event: MouseEvent): void {
  const button = (event.target as Element | null)?.closest<HTMLButtonElement>("button[data-copy]");
  if (!button) return;
  const label = button.dataset.label ?? button.textContent ?? "Copy";
  button.dataset.label = label;
  const text = button.dataset.copy ?? "";
  copyText(button.dataset.copyUrl ? new URL(text, location.href).href : text).then(
    () => (button.textContent = "Copied"),
    () => (button.textContent = "Copy failed"),
  ).finally(() => setTimeout(() => (button.textContent = label), 1_500));
}

/** The tools. */
export default function PageTools({ features }: PageToolsProps) {
  const zone = useTimeZone();
  const [hydrated, setHydrated] = useState(false);
  const times = features.includes("times");

  useEffect(() => {
    setHydrated(true);
    document.documentElement.classList.add("tools-ready");
    if (features.includes("sort")) {
      document.querySelectorAll<HTMLTableElement>("table[data-sortable]").forEach((table) => {
        if (!table.closest("freshet-island")) enhanceTable(table);
      });
    }
    if (features.includes("copy")) document.addEventListener("click", onCopyClick);
    return () => document.removeEventListener("click", onCopyClick);
  }, []);

  useEffect(() => {
    if (!times) return;
    rewriteTimes(zone);
    const timer = setInterval(() => rewriteTimes(zone), 10_000);
    return () => clearInterval(timer);
  }, [zone]);

  if (!times) return <span class="page-tools" />;
  if (!hydrated) return <p class="time-zone">Times are in UTC.</p>;
  const sample = formatTime(Date.now(), "local", { date: false }).split(" ").at(-1);
  return (
    <p class="time-zone" data-zone={zone}>
      {zone === "local" ? `Times are local (${localZoneName()}, ${sample}).` : "Times are in UTC."}
      {" "}
      <button
        type="button"
        class="link"
        onClick={() => setTimeZoneChoice(zone === "local" ? "utc" : "local")}
      >
        {zone === "local" ? "Show UTC" : "Show local time"}
      </button>
    </p>
  );
}
