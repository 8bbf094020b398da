/**
 * A process of memory_child.ts measured from the bench: started with the
 * bench's permissions and `--expose-gc`, its `mem` lines (RSS, peak, heap,
 * progress, every 100 ms) followed, the port and credentials a server child
 * prints kept, stopped with SIGTERM (SIGKILL after a grace).
 */
import { ROOT } from "../kafka/ensure.ts";
import { waitUntil } from "./wait.ts";
import { V8_FLAGS, v8FlagsArg } from "../tasks/v8_flags.ts";

/** The last `mem` line a child printed, and its highest RSS. */
export interface MemoryLine {
  rss: number;
  peak: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  liveHeap?: number;
  /** Full collections the child has run (one a second). */
  collections?: number;
  processed?: number;
  notes?: number;
  done?: boolean;
}

/** A child of memory_child.ts, its lines followed. */
export class MeasuredChild {
  readonly process: Deno.ChildProcess;
  latest?: MemoryLine;
  port?: number;
  /** The `Authorization` header a server child printed (`auth …`), for its requests. */
  authorization?: string;
  readonly ended: Promise<Deno.CommandStatus>;
  #stderr = "";

  /**
   * Runs `memory_child.ts` with `args`; `env` is added to the child's
   * environment, `v8Flags` to V8's after the deployed ones (tasks/v8_flags.ts;
   * a later flag wins; `deployedFlags: false` leaves those out; `--expose-gc`
   * is always there).
   */
  constructor(
    args: string[],
    env: Record<string, string> = {},
    v8Flags: string[] = [],
    deployedFlags = true,
  ) {
    this.process = new Deno.Command("deno", {
      args: [
        "run",
        "-q",
        "-P=bench",
        v8FlagsArg(["--expose-gc", ...(deployedFlags ? V8_FLAGS : []), ...v8Flags]),
        `${ROOT}/bench/memory_child.ts`,
        ...args,
      ],
      cwd: ROOT,
      env,
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
        else if (line.startsWith("auth ")) this.authorization = line.slice(5);
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

  /** The first report after the next full collection (at most ~1 s from now). */
  async afterCollection(): Promise<MemoryLine> {
    const before = this.latest?.collections ?? 0;
    return await this.until(
      "a report after a full collection",
      (m) => (m.collections ?? 0) > before,
      10_000,
    );
  }

  /** The latest RSS after the next report (at most ~100 ms from now). */
  async fresh(): Promise<MemoryLine> {
    const before = this.latest;
    return await this.until("a new memory report", (m) => m !== before, 10_000);
  }
}
