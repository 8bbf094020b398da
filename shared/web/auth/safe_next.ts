/**
 * Where the login page sends a browser back to: a path of this app, never
 * another site. A browser drops tabs and newlines from a URL and reads a
 * backslash as a slash, so `/\t/evil.example`, `/\/evil.example` and
 * `//evil.example` all leave the site; so would their percent-encoded
 * spellings once a later hop decodes them. Refused (the answer is `/`):
 * anything not starting with a single `/`, any control character, any
 * backslash, a leading `//` — in the text as given and in each of its
 * decodings — and text that does not resolve to this origin. What is
 * returned is the URL parser's own serialisation (non-ASCII escaped), safe
 * to put in a `Location` header.
 */

const BASE = "http://freshet.invalid";
const MAX_LENGTH = 2_048;
// C0 controls, DEL, C1 controls, and the backslash browsers read as a slash.
// deno-lint-ignore no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\\]/;

function unsafe(text: string): boolean {
  return FORBIDDEN.test(text) || !text.startsWith("/") || text.startsWith("//");
}

/** `next` if it is a path of this app, else `/`. */
export function safeNext(next: string | null | undefined): string {
  if (!next || next.length > MAX_LENGTH) return "/";
  let text = next;
  for (let decodings = 0; decodings < 4; decodings++) {
    if (unsafe(text)) return "/";
    let decoded: string;
    try {
      decoded = decodeURIComponent(text);
    } catch {
      return "/"; // a malformed escape: nobody's way back
    }
    if (decoded === text) break;
    text = decoded;
  }
  if (unsafe(text)) return "/";
  const url = new URL(next, BASE);
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  return unsafe(path) ? "/" : path;
}
