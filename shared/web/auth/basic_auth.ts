/**
 * HTTP Basic credentials (RFC 7617) from an `Authorization` header, for
 * the JSON API and scripts. The app never asks a browser for them (no
 * `Basic` challenge to browsers), so no browser keeps and replays them.
 */

/** User name and password of a Basic `Authorization` header, or undefined. */
export function parseBasicAuth(
  header: string | null,
): { name: string; password: string } | undefined {
  const match = header ? /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header) : null;
  if (!match) return undefined;
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(
      Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
  const colon = text.indexOf(":");
  if (colon < 0) return undefined;
  return { name: text.slice(0, colon), password: text.slice(colon + 1) };
}

/** Whether `req` comes from a browser (which sends `Sec-Fetch-Mode`). */
export function fromBrowser(req: Request): boolean {
  return req.headers.has("sec-fetch-mode");
}
