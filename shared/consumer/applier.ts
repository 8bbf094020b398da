/**
 * The pipelined runner's applier, seen from the runner: a Worker that
 * decodes, validates and commits a view's chunks (applier_worker.ts), and
 * each partition's lane of chunks in flight to it. The runner fetches the
 * next chunks while the applier commits the one before, at most
 * `maxInFlight` chunks a partition.
 *
 * A lane is the run of chunks posted since the partition was last
 * positioned: a chunk of it that fails makes the applier drop the rest of
 * the lane, and the runner applies them again on its own thread, from the
 * stored offset, with its retries and dead letters (runner.ts).
 */
import type { Logger } from "../core/log.ts";
import type { BatchMessage } from "./apply_batch.ts";
import type {
  ApplierApplied,
  ApplierChunk,
  ApplierMeta,
  ApplierNotApplied,
  ApplierReply,
} from "./applier_protocol.ts";

/** Options of `Applier.start`. */
export interface ApplierOptions {
  /** URL of the consumer's module (its one ConsumerModule export is built in the Worker). */
  moduleUrl: string;
  /** The variables the consumer's module is built with. */
  env: Record<string, string>;
  /** The consumer's database (migrated already). */
  dbPath: string;
  log: Logger;
  /** Chunks of one partition in flight at most (default 2). */
  maxInFlight?: number;
  /** Longest wait for the Worker to load the module and open the database (default 30 000 ms). */
  openTimeoutMs?: number;
}

/** How a chunk ended on the applier. */
export type ChunkReply = ApplierApplied | ApplierNotApplied;

/** One partition's chunks since it was last positioned. */
export interface Lane {
  readonly id: number;
  /** The offset after the last chunk posted. */
  next?: number;
  /** A chunk of the lane failed: no more are posted until the partition is positioned again. */
  failed: boolean;
  /** Batches below this offset go through the runner's own thread (after a failure). */
  slowUntil?: number;
  inFlight: Set<Promise<ChunkReply>>;
}

/** A chunk as it crosses to the applier (without its id and lane). */
function toChunk(
  messages: BatchMessage[],
  expected: number,
): Omit<ApplierChunk, "id" | "lane"> {
  const meta: ApplierMeta = { offsets: [], timestamps: [], keys: [], headers: [] };
  const lengths = new Int32Array(messages.length);
  let total = 0;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    meta.offsets.push(m.offset);
    meta.timestamps.push(m.timestamp);
    meta.keys.push(m.key);
    meta.headers.push(m.headers);
    lengths[i] = m.value === null ? -1 : m.value.length;
    total += m.value?.length ?? 0;
  }
  const values = new Uint8Array(total);
  let at = 0;
  for (const m of messages) {
    if (m.value === null) continue;
    values.set(m.value, at);
    at += m.value.length;
  }
  const { topic, partition } = messages[0];
  return {
    type: "apply",
    topic,
    partition,
    expected,
    meta: JSON.stringify(meta),
    values,
    lengths,
  };
}

/** The host side of the applier Worker. */
export class Applier {
  #worker: Worker;
  #log: Logger;
  #maxInFlight: number;
  #pending = new Map<number, (reply: ChunkReply) => void>();
  #lanes = new Map<string, Lane>();
  #nextId = 1;
  #nextLane = 1;
  #dead?: string;

  private constructor(worker: Worker, options: ApplierOptions) {
    this.#worker = worker;
    this.#log = options.log;
    this.#maxInFlight = options.maxInFlight ?? 2;
  }

  /** Starts the Worker; rejects if it cannot load the module or open the database. */
  static async start(options: ApplierOptions): Promise<Applier> {
    const worker = new Worker(new URL("./applier_worker.ts", import.meta.url), {
      type: "module",
      name: "applier",
      // What a consumer's code and SQLite need; no network, no processes.
      deno: {
        permissions: {
          read: "inherit",
          write: "inherit",
          env: "inherit",
          sys: "inherit",
          import: "inherit",
          net: false,
          run: false,
          ffi: false,
        },
      },
    });
    const applier = new Applier(worker, options);
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(
          () => reject(new Error("the applier did not open in time")),
          options.openTimeoutMs ?? 30_000,
        );
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`the applier failed to start: ${event.message}`));
        };
        worker.onmessage = (event: MessageEvent<ApplierReply>) => {
          if (event.data.type === "opened") resolve();
          else if (event.data.type === "open-failed") reject(new Error(event.data.error));
        };
        worker.postMessage({
          type: "open",
          moduleUrl: options.moduleUrl,
          env: options.env,
          dbPath: options.dbPath,
        });
      });
    } catch (error) {
      worker.terminate();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    worker.onmessage = (event: MessageEvent<ApplierReply>) => applier.#onReply(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      applier.#die(`the applier crashed: ${event.message}`);
    };
    return applier;
  }

  /** Why the applier stopped working, if it did: the runner applies on its own thread then. */
  get dead(): string | undefined {
    return this.#dead;
  }

  /** The partition's current lane. */
  lane(key: string): Lane {
    let lane = this.#lanes.get(key);
    if (!lane) this.#lanes.set(key, lane = this.#newLane());
    return lane;
  }

  /** A new lane for the partition (it was positioned again); batches below `slowUntil` go slow. */
  reset(key: string, slowUntil?: number): Lane {
    const lane = { ...this.#newLane(), slowUntil };
    this.#lanes.set(key, lane);
    return lane;
  }

  /** Resolves once the partition has fewer than `maxInFlight` chunks in flight. */
  async slot(key: string): Promise<void> {
    const lane = this.lane(key);
    while (lane.inFlight.size >= this.#maxInFlight) await Promise.race(lane.inFlight);
  }

  /** Resolves once none of the partition's chunks is in flight (of any lane). */
  async drained(key: string): Promise<void> {
    let lane = this.#lanes.get(key);
    while (lane && lane.inFlight.size > 0) {
      await Promise.all(lane.inFlight);
      lane = this.#lanes.get(key);
    }
  }

  /**
   * Posts `messages` (one partition's, in order) on the partition's lane,
   * to move its stored offset from `expected`; resolves with the outcome
   * (never rejects).
   */
  post(messages: BatchMessage[], expected: number, key: string): Promise<ChunkReply> {
    const lane = this.lane(key);
    const id = this.#nextId++;
    const done = this.#dead
      ? Promise.resolve<ChunkReply>({ type: "failed", id, error: this.#dead })
      : new Promise<ChunkReply>((resolve) => this.#pending.set(id, resolve));
    if (!this.#dead) {
      const chunk = toChunk(messages, expected);
      this.#worker.postMessage({ ...chunk, id, lane: lane.id }, [
        chunk.values.buffer,
        chunk.lengths.buffer,
      ]);
    }
    lane.next = messages[messages.length - 1].offset + 1;
    lane.inFlight.add(done);
    done.then(() => lane.inFlight.delete(done));
    return done;
  }

  /** Waits for the chunks in flight (at most `waitMs`), then ends the Worker. */
  async close(waitMs: number): Promise<void> {
    const all = [...this.#lanes.values()].flatMap((lane) => [...lane.inFlight]);
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([
      Promise.all(all),
      new Promise((resolve) => (timer = setTimeout(resolve, waitMs))),
    ]);
    clearTimeout(timer);
    // A transaction cut short by this is rolled back by SQLite: nothing half applied.
    this.#die("the applier was closed", false);
    this.#worker.terminate();
  }

  #newLane(): Lane {
    return { id: this.#nextLane++, failed: false, inFlight: new Set() };
  }

  #onReply(reply: ApplierReply): void {
    if (reply.type !== "applied" && reply.type !== "failed" && reply.type !== "dropped") return;
    const resolve = this.#pending.get(reply.id);
    this.#pending.delete(reply.id);
    resolve?.(reply);
  }

  /** Every chunk in flight counts as not applied (rolled back with its thread). */
  #die(reason: string, warn = true): void {
    if (!this.#dead && warn) this.#log.warn(reason);
    this.#dead ??= reason;
    for (const [id, resolve] of this.#pending) resolve({ type: "failed", id, error: reason });
    this.#pending.clear();
  }
}
