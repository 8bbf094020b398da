/**
 * Memory, measured from a process of its own (memory_child.ts) as resident
 * set size (RSS, `Deno.memoryUsage().rss`, sampled every 100 ms):
 *
 * - the doctor through a backlog: RSS at each tenth of the backlog (ten
 *   rounds of the same work), its peak, and the leak check (RSS after the
 *   tenth round within 10 % of after the first: flat, not growing with
 *   what has been applied);
 * - the server with `clients` SSE clients on `GET /api/events` while notes
 *   flow (50 a second): ten rounds of connecting them all, each receiving
 *   notes, then closing them; RSS idle, with the clients, after each
 *   round, its peak, and the same leak check over the rounds.
 */
import { ROOT } from "../kafka/ensure.ts";
import { waitUntil } from "./wait.ts";

/** The last `mem` line a child printed, and its highest RSS. */
interface MemoryLine {
  rss: number;
  peak: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  liveHeap?: number;
  processed?: number;
  notes?: number;
  done?: boolean;
}

/** A child of memory_child.ts, its lines followed. */
class MeasuredChild {
  readonly process: Deno.ChildProcess;
  latest?: MemoryLine;
  port?: number;
  readonly ended: Promise<Deno.CommandStatus>;
  #stderr = "";

  constructor(args: string[]) {
    this.process = new Deno.Command("deno", {
      args: [
        "run",
        "-q",
        "-P=bench",
        "--v8-flags=--expose-gc",
        `${ROOT}/bench/memory_child.ts`,
        ...args,
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#follow();
    this.ended = this.process.status;
  }

  async #follow(): Promise<void> {
    const errors = (async () => {
      for await (const chunk of this.process.stderr.pipeThrough(new TextDecoderStream())) {
        this.#stderr = (this.#stderr + chunk).slice(-4_000);
      }
    })();
    let buffer = "";
    for await (const chunk of this.process.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line.startsWith("mem ")) this.latest = JSON.parse(line.slice(4));
        else if (line.startsWith("port ")) this.port = Number(line.slice(5));
      }
    }
    await errors;
  }

  /** Sends SIGTERM, then SIGKILL if it has not ended within `graceMs`; waits for its end. */
  async stop(graceMs = 10_000): Promise<void> {
    const signal = (name: Deno.Signal) => {
      try {
        this.process.kill(name);
      } catch { /* already ended */ }
    };
    signal("SIGTERM");
    const timer = setTimeout(() => signal("SIGKILL"), graceMs);
    await this.ended;
    clearTimeout(timer);
  }

  /** What the child printed on stderr last (for errors). */
  get stderr(): string {
    return this.#stderr;
  }

  /** Waits until `check` holds for the latest line (or the child ends: an error with its stderr). */
  async until(
    what: string,
    check: (m: MemoryLine) => boolean,
    timeoutMs: number,
  ): Promise<MemoryLine> {
    let exited: Deno.CommandStatus | undefined;
    this.ended.then((s) => exited = s);
    await waitUntil(what, () => {
      if (this.latest && check(this.latest)) return true;
      if (exited) {
        throw new Error(`memory child exited (${exited.code}) before ${what}: ${this.stderr}`);
      }
      return false;
    }, {
      timeoutMs,
      intervalMs: 20,
      lastSeen: () => JSON.stringify(this.latest),
    });
    return this.latest!;
  }

  /** The latest RSS after the next report (at most ~100 ms from now). */
  async fresh(): Promise<MemoryLine> {
    const before = this.latest;
    return await this.until("a new memory report", (m) => m !== before, 10_000);
  }
}

const MiB = 2 ** 20;
const mib = (bytes: number) => Math.round((bytes / MiB) * 10) / 10;

/** What the doctor used through a backlog. */
export interface DoctorMemory {
  backlog: number;
  /** RSS once connected and joined, before the first message, MiB. */
  startMiB: number;
  /** RSS after each tenth of the backlog (the ten rounds), MiB. */
  roundsMiB: number[];
  /** V8's heap (total: used and free) after each tenth, MiB. */
  heapTotalMiB: number[];
  /** V8's heap in use after the last full collection, after each tenth, MiB. */
  liveHeapMiB: number[];
  /** Median of the rounds' RSS, MiB. */
  steadyMiB: number;
  /** Highest RSS sampled, MiB. */
  peakMiB: number;
  /** RSS after the tenth round over after the first. */
  leakRatio: number;
}

/** Runs the doctor in its own process over `backlog` demands already on `${prefix}demands.created`. */
export async function doctorMemory(
  options: { prefix: string; backlog: number; dataDir: string },
): Promise<DoctorMemory> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "memory-doctor-" });
  const child = new MeasuredChild(["doctor", options.prefix, String(options.backlog), dataDir]);
  try {
    const start = await child.until("the doctor to start", () => true, 60_000);
    const rounds: number[] = [];
    const heaps: number[] = [];
    const live: number[] = [];
    for (let round = 1; round <= 10; round++) {
      const line = await child.until(
        `the doctor to apply ${round}/10 of the backlog`,
        (m) => (m.processed ?? 0) >= (options.backlog * round) / 10,
        1_800_000,
      );
      rounds.push(line.rss);
      heaps.push(line.heapTotal);
      live.push(line.liveHeap ?? 0);
    }
    const status = await child.ended;
    if (!status.success) throw new Error(`doctor exited ${status.code}: ${child.stderr}`);
    const sorted = [...rounds].sort((a, b) => a - b);
    return {
      backlog: options.backlog,
      startMiB: mib(start.rss),
      roundsMiB: rounds.map(mib),
      heapTotalMiB: heaps.map(mib),
      liveHeapMiB: live.map(mib),
      steadyMiB: mib(sorted[Math.floor(sorted.length / 2)]),
      peakMiB: mib(child.latest!.peak),
      leakRatio: rounds[9] / rounds[0],
    };
  } finally {
    await child.stop();
  }
}

/** What the server used with many live clients. */
export interface ServerMemory {
  clients: number;
  /** RSS serving, no client, MiB. */
  idleMiB: number;
  /** RSS with every client connected and receiving, per round, MiB. */
  connectedMiB: number[];
  /** RSS after each round's clients closed, MiB. */
  afterRoundMiB: number[];
  /** V8's heap in use after a full collection, after each round, MiB. */
  liveHeapMiB: number[];
  /** Highest RSS sampled, MiB. */
  peakMiB: number;
  /** After the tenth round over after the first. */
  leakRatio: number;
  /** Notes each client received in the first round (median). */
  notesPerClient: number;
}

/** Serves the app in its own process; ten rounds of `clients` SSE clients. */
export async function serverMemory(
  options: { clients: number; dataDir: string; rounds?: number; holdMs?: number },
): Promise<ServerMemory> {
  const dataDir = await Deno.makeTempDir({ dir: options.dataDir, prefix: "memory-server-" });
  const child = new MeasuredChild(["server", dataDir]);
  const rounds = options.rounds ?? 10;
  let abort = new AbortController();
  try {
    await child.until("the server to listen", () => child.port !== undefined, 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    const idle = await child.fresh();
    const connected: number[] = [];
    const after: number[] = [];
    const live: number[] = [];
    let notesPerClient = 0;
    for (let round = 0; round < rounds; round++) {
      const counts = new Array<number>(options.clients).fill(0);
      abort = new AbortController();
      const clients = counts.map((_, i) =>
        readStream(child.port!, abort.signal, () => counts[i]++)
      );
      await waitUntil(
        `${options.clients} clients to receive a note`,
        () => counts.every((c) => c > 0),
        {
          timeoutMs: 60_000,
          intervalMs: 50,
          lastSeen: () => `${counts.filter((c) => c > 0).length} did`,
        },
      );
      await new Promise((r) => setTimeout(r, options.holdMs ?? 2_000));
      connected.push((await child.fresh()).rss);
      if (round === 0) notesPerClient = [...counts].sort((a, b) => a - b)[counts.length >> 1];
      abort.abort();
      await Promise.race([Promise.allSettled(clients), new Promise((r) => setTimeout(r, 10_000))]);
      await new Promise((r) => setTimeout(r, 1_000));
      await new Promise((r) => setTimeout(r, 1_000)); // a collection (each second) after the close
      const line = await child.fresh();
      after.push(line.rss);
      live.push(line.liveHeap ?? 0);
    }
    return {
      clients: options.clients,
      idleMiB: mib(idle.rss),
      connectedMiB: connected.map(mib),
      afterRoundMiB: after.map(mib),
      liveHeapMiB: live.map(mib),
      peakMiB: mib(child.latest!.peak),
      leakRatio: after.at(-1)! / after[0],
      notesPerClient,
    };
  } finally {
    abort.abort();
    await child.stop();
  }
}

/** Reads `GET /api/events` until `signal` (then cancels its body), calling `onNote` per data block. */
async function readStream(port: number, signal: AbortSignal, onNote: () => void): Promise<void> {
  const res = await fetch(`http://127.0.0.1:${port}/api/events?topics=demands`, { signal });
  if (!res.ok) throw new Error(`/api/events: ${res.status}`);
  const reader = res.body!.getReader();
  const cancel = () => reader.cancel().catch(() => {});
  signal.addEventListener("abort", cancel, { once: true });
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      const text = decoder.decode(value, { stream: true });
      for (let at = text.indexOf("data: "); at >= 0; at = text.indexOf("data: ", at + 6)) onNote();
    }
  } catch (error) {
    if (!signal.aborted) throw error;
  } finally {
    signal.removeEventListener("abort", cancel);
  }
}
