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
import { findProcesses, ProcReader, TICKS_PER_SECOND } from "./proc_cpu.ts";
import { waitUntil } from "./wait.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/** What `idleServerCost` measured. */
export interface IdleCost extends WindowCost {
  consumers: number;
}

/**
 * One thread of a process: its name, CPU time so far (user + system, clock
 * ticks) and how often it has blocked so far (`voluntary_ctxt_switches`:
 * each time it waited for a timer, a socket or a message, so an idle
 * thread's count is its wake-ups).
 */
export interface ThreadTime {
  name: string;
  ticks: number;
  wakeUps: number;
}

/**
 * Every thread of process `pid`, from Linux's `/proc/<pid>/task/<tid>/stat`
 * — read by a shell: Deno grants /proc only with every permission, and the
 * bench may run `sh` (proc_cpu.ts does the same).
 */
export async function threadTimes(pid: number): Promise<Map<number, ThreadTime>> {
  const { stdout } = await new Deno.Command("sh", {
    args: [
      "-c",
      'for t in /proc/"$1"/task/*; do IFS= read -r line < "$t/stat" || continue; w=0; ' +
      'while IFS= read -r l; do case "$l" in voluntary_ctxt_switches:*) w=${l##*[!0-9]};; esac; ' +
      'done < "$t/status"; printf "%s %s\\n" "$w" "$line"; done',
      "sh",
      String(pid),
    ],
    stdout: "piped",
    stderr: "null",
  }).output();
  const threads = new Map<number, ThreadTime>();
  for (const line of new TextDecoder().decode(stdout).split("\n")) {
    const space = line.indexOf(" ");
    const wakeUps = Number(line.slice(0, space));
    const stat = line.slice(space + 1);
    const close = stat.lastIndexOf(")");
    if (close < 0) continue;
    // After the name: state, ppid, … utime and stime are the 12th and 13th fields.
    const fields = stat.slice(close + 2).split(" ");
    threads.set(Number(stat.slice(0, stat.indexOf(" "))), {
      name: stat.slice(stat.indexOf("(") + 1, close),
      ticks: Number(fields[11]) + Number(fields[12]),
      wakeUps: Number.isFinite(wakeUps) ? wakeUps : 0,
    });
  }
  return threads;
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
  /** Its process id (its threads are in /proc/<pid>/task). */
  pid: number;
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
    return await fn({ url, pid: child.pid, consumers, usage: () => processMetrics(url) });
  } finally {
    try {
      child.kill("SIGTERM");
    } catch { /* already ended */ }
    await child.status;
    await reading;
  }
}

/** One thread's share of a core over a window. */
export interface ThreadCost {
  name: string;
  cpuPercent: number;
  /** Its wake-ups a second over the window. */
  wakeUpsPerSecond: number;
}

/** What `cpuOver` measured. */
export interface WindowCost {
  cpuPercent: number;
  rssMiB: number;
  windowSeconds: number;
  /**
   * The busiest threads over the same window, busiest first (a Worker's
   * thread is named `worker-N` in start order; at scale the busiest is the
   * monitor's, which starts last).
   */
  threads: ThreadCost[];
  /**
   * Every thread's wake-ups a second over the window (threads alive at its
   * end): what an idle server's CPU time is made of, and unlike it
   * the same on a quiet machine and a busy one (docs/performance.md, "Idle").
   */
  wakeUpsPerSecond: number;
  /**
   * The local brokers' JVMs over the same window, % of a core each (none
   * for a broker elsewhere), and the whole machine's busy time, % of one
   * core (every core summed): what else woke on the same cores — an idle
   * broker's own cost has read 2 % one day and 9–10 % another.
   */
  brokersCpu: number[];
  machineBusyPercent: number;
}

/**
 * Pids of the Apache Kafka brokers running on this machine (JVMs whose
 * command line names the broker's main class): a local broker, or the
 * nodes of a local cluster; none when the cluster is elsewhere.
 */
export async function localBrokerPids(): Promise<number[]> {
  const reader = new ProcReader();
  try {
    return await findProcesses(reader, "java", "kafka.Kafka");
  } finally {
    await reader.close();
  }
}

/**
 * The server's share of a core over `seconds` (and its RSS at the end), its
 * busiest threads, and beside it the local brokers' and the machine's.
 */
export async function cpuOver(server: LaunchedServer, seconds: number): Promise<WindowCost> {
  const brokers = await localBrokerPids();
  const reader = new ProcReader();
  const measured = await (async () => {
    try {
      const before = await server.usage();
      const threadsBefore = await threadTimes(server.pid);
      const aroundBefore = await reader.ticks(brokers);
      const started = performance.now();
      await new Promise((r) => setTimeout(r, seconds * 1_000));
      return {
        before,
        threadsBefore,
        aroundBefore,
        after: await server.usage(),
        threadsAfter: await threadTimes(server.pid),
        aroundAfter: await reader.ticks(brokers),
        elapsed: (performance.now() - started) / 1_000,
      };
    } finally {
      await reader.close();
    }
  })();
  const { before, threadsBefore, aroundBefore, after, threadsAfter, aroundAfter, elapsed } =
    measured;
  const percent = (ticks: number) =>
    Math.round((ticks / TICKS_PER_SECOND / elapsed) * 10_000) / 100;
  const perSecond = (count: number) => Math.round((count / elapsed) * 10) / 10;
  // A thread started in the window counts from 0, as its CPU time does.
  const wakeUps = [...threadsAfter].reduce(
    (sum, [id, { wakeUps }]) => sum + wakeUps - (threadsBefore.get(id)?.wakeUps ?? 0),
    0,
  );
  const threads = [...threadsAfter].map(([id, { name, ticks, wakeUps }]) => ({
    name,
    cpuPercent: percent(ticks - (threadsBefore.get(id)?.ticks ?? 0)),
    wakeUpsPerSecond: perSecond(wakeUps - (threadsBefore.get(id)?.wakeUps ?? 0)),
  })).sort((a, b) => b.cpuPercent - a.cpuPercent).slice(0, 8);
  return {
    cpuPercent: Math.round(((after.cpuSeconds - before.cpuSeconds) / elapsed) * 1000) / 10,
    rssMiB: Math.round(after.rssBytes / 2 ** 20),
    windowSeconds: Math.round(elapsed),
    threads,
    wakeUpsPerSecond: perSecond(wakeUps),
    brokersCpu: brokers.flatMap((_, i) => {
      const [from, to] = [aroundBefore.processes[i], aroundAfter.processes[i]];
      return from === undefined || to === undefined ? [] : [percent(to - from)];
    }),
    machineBusyPercent: percent(aroundAfter.machine.busy - aroundBefore.machine.busy),
  };
}

/** The brokers and the machine beside a window, as one line. */
export function describeAround(cost: WindowCost): string {
  const brokers = cost.brokersCpu.length === 0
    ? "no local broker"
    : `the local broker${cost.brokersCpu.length > 1 ? "s" : ""} ${
      cost.brokersCpu.map((n) => `${n.toFixed(1)} %`).join(", ")
    }`;
  return `${brokers}; the whole machine ${cost.machineBusyPercent.toFixed(1)} % of a core busy`;
}

/** `threads` as one line: `worker-5 1.20 % (3.1/s), V8 0.40 % (2.0/s), …` (wake-ups a second). */
export function describeThreads(threads: ThreadCost[]): string {
  return threads.map((t) => `${t.name} ${t.cpuPercent.toFixed(2)} % (${t.wakeUpsPerSecond}/s)`)
    .join(", ");
}

/** Options of `idleServerCost`. */
export interface IdleOptions extends ServerOptions {
  /**
   * After every consumer runs, before the window (default 90 s: the server
   * spends its first ~90 s after listening at ~3.5 % of a core — V8's
   * helper threads compiling, the monitor's first full summaries — and
   * ~1.7–2 % from then on; docs/performance.md "Idle", fourth pass).
   */
  settleSeconds?: number;
  /** The measured window (default 60 s). */
  windowSeconds?: number;
}

/** Starts the server, waits until it is idle, measures it, stops it. */
export function idleServerCost(options: IdleOptions): Promise<IdleCost> {
  const { settleSeconds = 90, windowSeconds = 60 } = options;
  return withServer(options, async (server) => {
    await new Promise((r) => setTimeout(r, settleSeconds * 1_000));
    return { ...(await cpuOver(server, windowSeconds)), consumers: server.consumers };
  });
}
