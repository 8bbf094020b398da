/**
 * HTTP/1.1 over a plain TCP connection, the path sent exactly as given
 * (like `curl --path-as-is`): no client normalises `/./`, `..`, `//` or
 * escapes before the server sees them. One connection per request.
 */

/** What came back: status, headers (lower-case names) and the body read. */
export interface RawResponse {
  status: number;
  headers: Headers;
  body: string;
}

/** Options of `rawRequest`. */
export interface RawRequestOptions {
  headers?: Record<string, string>;
  body?: string;
  /** Stop reading after the headers (a live stream): the connection is closed. */
  headersOnly?: boolean;
  timeoutMs?: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Sends `method path` to `127.0.0.1:port` and reads the answer (to the end, or its headers). */
export async function rawRequest(
  port: number,
  method: string,
  path: string,
  options: RawRequestOptions = {},
): Promise<RawResponse> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const timer = setTimeout(() => conn.close(), options.timeoutMs ?? 10_000);
  try {
    const headers: Record<string, string> = {
      host: `127.0.0.1:${port}`,
      connection: "close",
      accept: "*/*",
      ...options.headers,
    };
    if (options.body !== undefined) {
      headers["content-length"] = String(encoder.encode(options.body).length);
    }
    const head = `${method} ${path} HTTP/1.1\r\n` +
      Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
    await conn.write(encoder.encode(head + (options.body ?? "")));
    let text = "";
    const buffer = new Uint8Array(16_384);
    for (;;) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      text += decoder.decode(buffer.subarray(0, n), { stream: true });
      if (options.headersOnly && text.includes("\r\n\r\n")) break;
    }
    const end = text.indexOf("\r\n\r\n");
    if (end < 0) throw new Error(`${method} ${path}: no complete answer (${JSON.stringify(text)})`);
    const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
    const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1]);
    const responseHeaders = new Headers();
    for (const line of lines) {
      const colon = line.indexOf(":");
      responseHeaders.append(line.slice(0, colon).trim(), line.slice(colon + 1).trim());
    }
    let body = text.slice(end + 4);
    if (responseHeaders.get("transfer-encoding") === "chunked" && !options.headersOnly) {
      body = unchunk(body);
    }
    return { status, headers: responseHeaders, body };
  } finally {
    clearTimeout(timer);
    try {
      conn.close();
    } catch {
      // closed by the timer
    }
  }
}

function unchunk(text: string): string {
  let out = "";
  let rest = text;
  for (;;) {
    const lineEnd = rest.indexOf("\r\n");
    if (lineEnd < 0) return out;
    const size = parseInt(rest.slice(0, lineEnd), 16);
    if (!(size > 0)) return out;
    out += rest.slice(lineEnd + 2, lineEnd + 2 + size);
    rest = rest.slice(lineEnd + 2 + size + 2);
  }
}
