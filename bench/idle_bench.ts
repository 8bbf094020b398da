/**
 * The idle server, measured from outside as an operator would: the server
 * (`deno task start`: the web app, the five consumer Workers, the monitor)
 * launched as its task launches it, on a port of its own, nothing
 * happening; once every consumer is running and a settle time has passed,
 * its user + system CPU time over a window (`/proc/<pid>/stat`, all its
 * threads) as a share of one core, and its resident set.
 */
import { launchCommand } from "../tasks/launch.ts";
import { waitUntil } from "./wait.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** What `idleServerCost` measured. */
export interface IdleCost {
  cpuPercent: number;
  rssMiB: number;
  windowSeconds: number;
  consumers: number;
}

/** The clock ticks a second of `/proc/<pid>/stat` (CLK_TCK; 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of `pid`, in clock ticks. */
async function cpuTicks(pid: number): Promise<number> {
  const stat = await Deno.readTextFile(`/proc/${pid}/stat`);
  // Fields after the command name (which may hold spaces) in parentheses.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set of `pid`, MiB. */
async function rssMiB(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  const kib = Number(status.match(/^VmRSS:\s+(\d+) kB/m)?.[1] ?? NaN);
  return Math.round(kib / 1024);
}

/** Options of `idleServerCost`. */
export interface IdleOptions {
  port: number;
  dataDir: string;
  /** After every consumer runs, before the window (default 30 s). */
  settleSeconds?: number;
  /** The measured window (default 60 s). */
  windowSeconds?: number;
  /** Extra environment of the server (e.g. a consumer option to compare). */
  env?: Record<string, string>;
}

/** Starts the server, waits until it is idle, measures it, stops it. */
export async function idleServerCost(options: IdleOptions): Promise<IdleCost> {
  const { settleSeconds = 30, windowSeconds = 60 } = options;
  const launch = await launchCommand("start", []);
  const child = new Deno.Command("deno", {
    args: launch.args,
    cwd: ROOT,
    env: {
      ...launch.env,
      PORT: String(options.port),
      DATA_DIR: options.dataDir,
      LOG_LEVEL: "warn",
      ...options.env,
    },
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
    await new Promise((r) => setTimeout(r, settleSeconds * 1_000));
    const before = await cpuTicks(child.pid);
    const started = performance.now();
    await new Promise((r) => setTimeout(r, windowSeconds * 1_000));
    const ticks = (await cpuTicks(child.pid)) - before;
    const seconds = (performance.now() - started) / 1_000;
    return {
      cpuPercent: Math.round((ticks / TICKS_PER_SECOND / seconds) * 1000) / 10,
      rssMiB: await rssMiB(child.pid),
      windowSeconds: Math.round(seconds),
      consumers,
    };
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already ended */ }
    await child.status;
    await reading;
  }
}
