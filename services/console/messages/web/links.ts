/**
 * The console's message URLs: the page, the JSON API, a message's
 * permalink and its full value, and the older/newer pages of a query (the
 * same query with `seek=before|after` and the page's cursor).
 */
import { formatPositions } from "../browse_query.ts";
import type { Positions } from "../browse_types.ts";

const enc = encodeURIComponent;

/** `/console/topics/:topic/messages` */
export function messagesPagePath(topic: string): string {
  return `/console/topics/${enc(topic)}/messages`;
}

/** `/api/topics/:topic/messages` */
export function messagesApiPath(topic: string): string {
  return `/api/topics/${enc(topic)}/messages`;
}

/** The page of one message. */
export function permalinkPath(topic: string, partition: number, offset: number): string {
  return `${messagesPagePath(topic)}/${partition}/${offset}`;
}

/** The whole value of one message, as text or bytes. */
export function valuePath(topic: string, partition: number, offset: number): string {
  return `${messagesApiPath(topic)}/${partition}/${offset}/value`;
}

/** `base` with `query`, its seek replaced by a cursor (`before`/`after` at `positions`). */
export function cursorLink(
  base: string,
  query: URLSearchParams,
  seek: "before" | "after",
  positions: Positions,
): string {
  const next = new URLSearchParams(query);
  for (const name of ["seek", "offset", "timestamp", "positions", "download"]) next.delete(name);
  next.set("seek", seek);
  next.set("positions", formatPositions(positions));
  return `${base}?${next}`;
}
