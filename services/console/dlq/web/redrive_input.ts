/**
 * What to redrive, from the JSON API or a page's form: `messages` (a list
 * of `{partition, offset}`, or `partition:offset` strings from
 * checkboxes), or `all` with the browser's filters (`key`, `value`,
 * `header`, `headerValue` and their `…Match`) and optionally `until` (the
 * offsets a plan read up to); `repeat` to send again dead letters redriven
 * before; `dryRun` to only plan. Problems are listed, never guessed around.
 */
import { parseBrowseQuery } from "../../messages/browse_query.ts";
import type { MessageFilter } from "../../messages/filter.ts";

/** A redrive's selection. */
export interface RedriveInput {
  messages?: { partition: number; offset: number }[];
  filter?: MessageFilter;
  repeat: boolean;
  /** Only count what would be redriven (a plan), change nothing. */
  dryRun?: boolean;
  /** `all`: read each partition only below this offset (a plan's `until`). */
  until?: Record<number, number>;
}

function untilOf(raw: unknown, problems: string[]): Record<number, number> | undefined {
  if (raw === undefined || raw === "") return undefined;
  const entries = Array.isArray(raw)
    ? raw.map((item) => /^(\d{1,9}):(\d{1,15})$/.exec(String(item))?.slice(1).map(Number))
    : typeof raw === "string"
    ? [/^(\d{1,9}):(\d{1,15})$/.exec(raw)?.slice(1).map(Number)]
    : typeof raw === "object" && raw !== null
    ? Object.entries(raw).map(([p, o]) =>
      /^\d{1,9}$/.test(p) && Number.isSafeInteger(o) && (o as number) >= 0
        ? [Number(p), o as number]
        : undefined
    )
    : [undefined];
  if (entries.some((e) => e === undefined)) {
    problems.push('until: expected {"partition": offset} or "partition:offset" items');
    return undefined;
  }
  return Object.fromEntries(entries as number[][]);
}

const FILTER_FIELDS = [
  "key",
  "keyMatch",
  "value",
  "valueMatch",
  "header",
  "headerValue",
  "headerMatch",
];

function position(item: unknown): { partition: number; offset: number } | undefined {
  if (typeof item === "string") {
    const m = /^(\d{1,9}):(\d{1,15})$/.exec(item);
    return m ? { partition: Number(m[1]), offset: Number(m[2]) } : undefined;
  }
  const o = item as { partition?: unknown; offset?: unknown };
  if (
    Number.isInteger(o?.partition) && Number.isInteger(o?.offset) && (o.partition as number) >= 0 &&
    (o.offset as number) >= 0
  ) {
    return { partition: o.partition as number, offset: o.offset as number };
  }
  return undefined;
}

/** Parses a JSON body or form fields (already as an object: arrays for repeated fields). */
export function parseRedriveInput(
  body: Record<string, unknown>,
): { ok: true; value: RedriveInput } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const repeat = body.repeat === true || body.repeat === "1" || body.repeat === "true" ||
    body.repeat === "on";
  const all = body.all === true || body.all === "1" || body.all === "true";
  const dryRun = body.dryRun === true || body.dryRun === "1" || body.dryRun === "true";
  const until = untilOf(body.until, problems);
  if (until && !all) problems.push("until: only with all");
  if (body.messages !== undefined && all) problems.push("give messages or all, not both");
  if (body.messages !== undefined) {
    const list = Array.isArray(body.messages) ? body.messages : [body.messages];
    const messages = list.map(position);
    if (list.length === 0) problems.push("messages: select at least one dead letter");
    if (list.length > 10_000) problems.push("messages: at most 10000 at once");
    if (messages.some((m) => m === undefined)) {
      problems.push('messages: expected {partition, offset} objects or "partition:offset"');
    }
    if (problems.length > 0) return { ok: false, problems };
    return {
      ok: true,
      value: { messages: messages as RedriveInput["messages"], repeat, dryRun },
    };
  }
  if (!all) return { ok: false, problems: ["give messages (a selection) or all: true"] };
  const query = new URLSearchParams();
  for (const name of FILTER_FIELDS) {
    const value = body[name];
    if (typeof value === "string" && value !== "") query.set(name, value);
    else if (value !== undefined && value !== "") problems.push(`${name}: expected text`);
  }
  const parsed = parseBrowseQuery(query);
  if (!parsed.ok) problems.push(...parsed.problems);
  if (problems.length > 0 || !parsed.ok) return { ok: false, problems };
  return { ok: true, value: { filter: parsed.request.filter, repeat, dryRun, until } };
}

/** A form's fields as an object (repeated fields as arrays). */
export function formFields(form: FormData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of form) {
    if (typeof value !== "string") continue;
    if (name === "messages" || name === "until") {
      out[name] = [...((out[name] as string[]) ?? []), value];
    } else out[name] = value;
  }
  return out;
}
