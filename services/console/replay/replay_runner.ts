/**
 * The replays running in this server (`ctx.services.part(consoleWeb).replays`):
 * one job per replay, started or resumed by an operator, holding an
 * operator action's stream slot while it reads (messages/stream_slots.ts),
 * cancelled on request or when the server stops. A replay the log says is
 * `running` but no job of this process runs (the server stopped under it)
 * is `interrupted`: it may be resumed.
 */
import type { Producer } from "kafkajs";
import { createLogger } from "../../../shared/core/log.ts";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import type { User } from "../../../shared/web/auth/users.ts";
import type { MessageReader } from "../messages/message_reader.ts";
import { type RunEnd, runReplay } from "./replay_run.ts";
import { beginRun, getReplay, setReplayState, type StoredReplay } from "./replay_store.ts";

const log = createLogger("console");

/** How a replay stands, as users see it. */
export type ReplayState =
  | "running"
  | "cancelling"
  | "cancelled"
  | "done"
  | "failed"
  | "interrupted";

/** A replay with its state as users see it. */
export interface ReplayStatus extends Omit<StoredReplay, "state"> {
  state: ReplayState;
  /** Offsets of the ranges, and how many of them were replayed. */
  progress: { offsets: number; done: number; percent: number };
}

interface Job {
  abort: AbortController;
  done: Promise<RunEnd>;
}

/** What the runner needs. */
export interface ReplayRunnerDeps {
  messages: MessageReader;
  producer(): Promise<Producer>;
}

/** Runs replays as background jobs. */
export class ReplayRunner {
  #jobs = new Map<number, Job>();
  #closed = false;
  constructor(readonly deps: ReplayRunnerDeps) {}

  /** `replay` (as stored) as users see it. */
  status(replay: StoredReplay): ReplayStatus {
    const job = this.#jobs.get(replay.id);
    const state: ReplayState = replay.state !== "running"
      ? replay.state
      : !job
      ? "interrupted"
      : job.abort.signal.aborted
      ? "cancelling"
      : "running";
    const offsets = replay.partitions.reduce((n, p) => n + p.until - p.from, 0);
    const done = replay.partitions.reduce((n, p) => n + p.position - p.from, 0);
    const percent = offsets === 0 ? 100 : Math.floor((done / offsets) * 1000) / 10;
    return { ...replay, state, progress: { offsets, done, percent } };
  }

  /** Whether a job of this process runs `id`. */
  running(id: number): boolean {
    return this.#jobs.has(id);
  }

  /**
   * Starts (or resumes) replay `id` in the background; `onEnd` is told how
   * the run ended. A 429 when no stream slot is free (the reader's refusal).
   */
  start(
    db: DatabaseSync,
    id: number,
    user: User | undefined,
    onEnd: (end: RunEnd, replay: StoredReplay) => void,
  ): StoredReplay {
    if (this.#closed) throw new Error("the server is shutting down");
    if (this.#jobs.has(id)) throw new Error(`replay ${id} is running`);
    const stored = getReplay(db, id);
    if (!stored) throw new RangeError(`no replay ${id}`);
    const own = this.deps.messages.open("action", stored.source, user);
    const replay = beginRun(db, id);
    const abort = new AbortController();
    const done = (async (): Promise<RunEnd> => {
      let end: RunEnd;
      try {
        end = await runReplay({
          reader: own.client,
          producer: this.deps.producer,
          db,
          signal: abort.signal,
        }, replay);
      } catch (error) {
        end = { stop: "failed", error: (error as Error)?.message ?? String(error) };
      } finally {
        await own.close();
      }
      this.#jobs.delete(id);
      // A run the server's shutdown stopped stays `running` in the log: interrupted, resumable.
      // Its database may be closed already: then a claim it could not settle stays unknown.
      if (this.#closed) return end;
      try {
        setReplayState(db, id, end.stop, end.stop === "failed" ? end.error : null);
        onEnd(end, getReplay(db, id)!);
      } catch (error) {
        log.warn("a replay's end could not be recorded", { id, error: String(error) });
      }
      return end;
    })();
    this.#jobs.set(id, { abort, done });
    return replay;
  }

  /** Cancels the job running `id` and waits for its batch under way; false when none runs. */
  async cancel(id: number): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (!job) return false;
    job.abort.abort();
    await job.done;
    return true;
  }

  /** Stops every job (the server is going); their replays stay resumable. */
  async close(): Promise<void> {
    this.#closed = true;
    const jobs = [...this.#jobs.values()];
    for (const job of jobs) job.abort.abort();
    await Promise.allSettled(jobs.map((j) => j.done));
  }
}
