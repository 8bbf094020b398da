/**
 * The idle server, measured from outside as an operator would: the server
 * (`deno task start`: the web app, the five consumer Workers, the monitor)
 * launched as its task launches it, on a port of its own, nothing
 * happening; once every consumer is running and a settle time has passed,
 * its user + system CPU time over a window as a share of one core, and its
 * resident set — read from its `/metrics` (`process_cpu_seconds_total`, all
 * its threads; the scrape itself costs well under a millisecond).
 */
import { readEnv } from "../shared/core/config.ts";
import { launchCommand } from "../tasks/launch.ts";
import { LAUNCHER_ENV } from "../tasks/programs.ts";
import { waitUntil } from "./wait.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** What `idleServerCost` measured. */
export interface IdleCost {
  cpuPercent: number;
  rssMiB: number;
  windowSeconds: number;
  consumers: number;
}

/** The server's `process_cpu_seconds_total` and `process_resident_memory_bytes` (/metrics). */
async function processMetrics(url: string): Promise<{ cpuSeconds: number; rssBytes: number }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const sample = (name: string) => {
    const value = Number(text.match(new RegExp(`^${name} (\\S+)$`, "m"))?.[1]);
    if (!Number.isFinite(value)) throw new Error(`/metrics has no ${name}`);
    return value;
  };
  return {
    cpuSeconds: sample("process_cpu_seconds_total"),
    rssBytes: sample("process_resident_memory_bytes"),
  };
}

/** Options of `withServer`. */
export interface ServerOptions {
  port: number;
  dataDir: string;
  /** Extra environment of the server (e.g. a consumer option to compare). */
  env?: Record<string, string>;
}

/** A server launched by `withServer`, every consumer running. */
export interface LaunchedServer {
  url: string;
  consumers: number;
  /** The server's CPU time and resident set, from its /metrics. */
  usage(): Promise<{ cpuSeconds: number; rssBytes: number }>;
}

/**
 * Starts the server as `deno task start` would (its grant covering
 * `dataDir`), waits until every consumer runs, calls `fn`, stops it.
 */
export async function withServer<T>(
  options: ServerOptions,
  fn: (server: LaunchedServer) => Promise<T>,
): Promise<T> {
  const env = {
    ...readEnv(LAUNCHER_ENV),
    PORT: String(options.port),
    DATA_DIR: options.dataDir,
    LOG_LEVEL: "warn",
    ...options.env,
  };
  const launch = await launchCommand("start", [], env);
  const child = new Deno.Command("deno", {
    args: launch.args,
    cwd: ROOT,
    env: { ...env, ...launch.env } as Record<string, string>,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let stderr = "";
  const reading = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderr = (stderr + chunk).slice(-4_000);
    }
  })();
  let exited: Deno.CommandStatus | undefined;
  child.status.then((s) => exited = s);
  const url = `http://127.0.0.1:${options.port}`;
  try {
    let consumers = 0;
    await waitUntil("every consumer running", async () => {
      if (exited) throw new Error(`the server exited (${exited.code}): ${stderr}`);
      const health = await fetch(`${url}/health`).then((r) => r.json()).catch(() => undefined);
      const list: { state: string }[] = health?.consumers ?? [];
      consumers = list.length;
      return list.length >= 5 && list.every((c) => c.state === "running");
    }, { timeoutMs: 180_000, intervalMs: 500, lastSeen: () => stderr.slice(-500) });
    return await fn({ url, consumers, usage: () => processMetrics(url) });
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already ended */ }
    await child.status;
    await reading;
  }
}

/** The server's share of a core over `seconds` (and its RSS at the end). */
export async function cpuOver(
  server: LaunchedServer,
  seconds: number,
): Promise<{ cpuPercent: number; rssMiB: number; windowSeconds: number }> {
  const before = await server.usage();
  const started = performance.now();
  await new Promise((r) => setTimeout(r, seconds * 1_000));
  const after = await server.usage();
  const elapsed = (performance.now() - started) / 1_000;
  return {
    cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 1000) / 10,
    rssMiB: Math.round(after.rssBytes / 2 ** 20),
    windowSeconds: Math.round(elapsed),
  };
}

/** Options of `idleServerCost`. */
export interface IdleOptions extends ServerOptions {
  /** After every consumer runs, before the window (default 30 s). */
  settleSeconds?: number;
  /** The measured window (default 60 s). */
  windowSeconds?: number;
}

/** Starts the server, waits until it is idle, measures it, stops it. */
export function idleServerCost(options: IdleOptions): Promise<IdleCost> {
  const { settleSeconds = 30, windowSeconds = 60 } = options;
  return withServer(options, async (server) => {
    await new Promise((r) => setTimeout(r, settleSeconds * 1_000));
    return { ...(await cpuOver(server, windowSeconds)), consumers: server.consumers };
  });
}
