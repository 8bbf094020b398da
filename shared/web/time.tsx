/**
 * One way to show a time on every page (issue 20, item 6): `<Time ms={…} />`
 * renders a `<time>` whose `datetime` is ISO 8601 and whose text is
 * `2026-12-05 23:23:59 CET` — the browser's local time with its zone named,
 * or UTC when the reader chose it (remembered per browser in localStorage,
 * the PageTools island) — or, with `relative`, `5 min ago` with the
 * absolute time as its title. The server renders UTC, labelled: that is what
 * a page shows without JavaScript. Times outside islands are rewritten in
 * the browser by PageTools (`data-t` holds the epoch milliseconds).
 */
import { useEffect, useState } from "preact/hooks";
import { usePageFeature } from "./page_features.ts";

/** Where times are shown: the browser's zone, or UTC. */
export type TimeZoneChoice = "local" | "utc";

/** localStorage key of the reader's choice. */
export const TIME_ZONE_KEY = "freshet.timeZone";
/** Event dispatched on `window` when the choice changes. */
export const TIME_ZONE_EVENT = "freshet:timezone";

const inBrowser = () => typeof document !== "undefined";

/** The reader's choice: UTC on the server (no browser to ask), else localStorage's (default local). */
export function timeZoneChoice(): TimeZoneChoice {
  if (!inBrowser()) return "utc";
  try {
    return localStorage.getItem(TIME_ZONE_KEY) === "utc" ? "utc" : "local";
  } catch {
    return "local";
  }
}

/** Remembers `choice` for this browser and tells every island and PageTools. */
export function setTimeZoneChoice(choice: TimeZoneChoice): void {
  try {
    localStorage.setItem(TIME_ZONE_KEY, choice);
  } catch { /* private mode: this page only */ }
  dispatchEvent(new Event(TIME_ZONE_EVENT));
}

/** The browser's zone, e.g. `Europe/Berlin`. */
export function localZoneName(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? "local";
}

/** Options of `formatTime`. */
export interface FormatTimeOptions {
  /** Include the date (default true). */
  date?: boolean;
  /** Include seconds (default true). */
  seconds?: boolean;
}

/** `ms` as `2026-12-05 22:23:59 UTC`, or in the browser's zone with its short name. */
export function formatTime(
  ms: number,
  zone: TimeZoneChoice,
  options: FormatTimeOptions = {},
): string {
  const d = new Date(ms);
  if (Number.isNaN(d.getTime())) return "—";
  const withDate = options.date ?? true;
  const withSeconds = options.seconds ?? true;
  if (zone === "utc") {
    const iso = d.toISOString();
    return `${withDate ? `${iso.slice(0, 10)} ` : ""}${iso.slice(11, withSeconds ? 19 : 16)} UTC`;
  }
  const parts = new Intl.DateTimeFormat("en-US", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: withSeconds ? "2-digit" : undefined,
    hourCycle: "h23",
    timeZoneName: "short",
  }).formatToParts(d);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  const clock = `${part("hour")}:${part("minute")}${withSeconds ? `:${part("second")}` : ""}`;
  const day = `${part("year")}-${part("month")}-${part("day")}`;
  return `${withDate ? `${day} ` : ""}${clock} ${part("timeZoneName")}`;
}

/** How long ago `ms` was at `now`: `4 s ago`, `3 min ago`, `2 h ago`, `5 d ago` (`in …` ahead). */
export function relativeTime(ms: number, now: number): string {
  const seconds = Math.round((now - ms) / 1000);
  const abs = Math.abs(seconds);
  const text = abs < 60
    ? `${abs} s`
    : abs < 3_600
    ? `${Math.round(abs / 60)} min`
    : abs < 86_400
    ? `${Math.round(abs / 3_600)} h`
    : `${Math.round(abs / 86_400)} d`;
  return seconds >= 0 ? `${text} ago` : `in ${text}`;
}

/** The reader's choice, re-rendering when it changes. */
export function useTimeZone(): TimeZoneChoice {
  const [zone, setZone] = useState<TimeZoneChoice>(timeZoneChoice);
  useEffect(() => {
    const update = () => setZone(timeZoneChoice());
    addEventListener(TIME_ZONE_EVENT, update);
    return () => removeEventListener(TIME_ZONE_EVENT, update);
  }, []);
  return zone;
}

/** The time now, updated every `everyMs` (for relative times). */
function useNow(everyMs: number | undefined): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    if (!everyMs) return;
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** Props of Time. */
export interface TimeProps extends FormatTimeOptions {
  /** Milliseconds since the epoch (or an ISO string). */
  at: number | string;
  /** Show `5 min ago`, the absolute time as its title (where recency matters). */
  relative?: boolean;
}

/** The text `<time>` shows for `props` in `zone` at `now`. */
export function timeText(
  props: TimeProps,
  zone: TimeZoneChoice,
  now: number,
): { text: string; title: string } {
  const ms = typeof props.at === "number" ? props.at : Date.parse(props.at);
  const absolute = formatTime(ms, zone, props);
  return props.relative
    ? { text: relativeTime(ms, now), title: absolute }
    : { text: absolute, title: formatTime(ms, zone === "utc" ? "local" : "utc", props) };
}

/** A time, as every page shows one. */
export function Time(props: TimeProps) {
  usePageFeature("times");
  const zone = useTimeZone();
  const now = useNow(props.relative ? 10_000 : undefined);
  const ms = typeof props.at === "number" ? props.at : Date.parse(props.at);
  const { text, title } = timeText(props, zone, now);
  return (
    <time
      dateTime={Number.isNaN(ms) ? undefined : new Date(ms).toISOString()}
      data-t={Number.isNaN(ms) ? undefined : ms}
      data-rel={props.relative ? "1" : undefined}
      data-date={props.date === false ? "0" : undefined}
      data-sec={props.seconds === false ? "0" : undefined}
      title={inBrowser() ? title : props.relative ? title : undefined}
    >
      {text}
    </time>
  );
}
