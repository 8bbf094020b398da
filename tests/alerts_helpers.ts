/** Helpers of the alerts tests: a real webhook receiver on 127.0.0.1, and what it got. */

/** One notification a receiver got. */
export interface Received {
  path: string;
  // deno-lint-ignore no-explicit-any
  body: any;
  at: number;
}

/** A webhook receiver on a random 127.0.0.1 port; `fail` makes it answer 500 for a while. */
export interface Receiver {
  url(path?: string): string;
  received: Received[];
  /** Bodies at `path` (default `/hook`) as `<status> <rule> <instance>` lines. */
  lines(path?: string): string[];
  /** Answers `status` to the next `count` requests. */
  fail(count: number, status?: number): void;
  close(): Promise<void>;
}

/** Starts a receiver. */
export function webhookReceiver(): Receiver {
  const received: Received[] = [];
  let failures: number[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
    const text = await req.text();
    const status = failures.shift();
    if (status !== undefined) return new Response("not now", { status });
    received.push({ path: new URL(req.url).pathname, body: JSON.parse(text), at: Date.now() });
    return new Response(null, { status: 204 });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  return {
    url: (path = "/hook") => `${base}${path}`,
    received,
    lines: (path = "/hook") =>
      received.filter((r) => r.path === path).map((r) =>
        `${r.body.status} ${r.body.rule} ${r.body.instance}`
      ),
    fail(count, status = 500) {
      failures = Array.from({ length: count }, () => status);
    },
    close: () => server.shutdown(),
  };
}

/** How many times each line occurs. */
export function counts(lines: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of lines) out[line] = (out[line] ?? 0) + 1;
  return out;
}
