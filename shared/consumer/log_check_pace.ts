/**
 * How often a runner reads its logs (log_guard.ts): every tick (5 s) while
 * anything happens, and every IDLE_LOG_CHECK_MS once it has been idle for
 * IDLE_AFTER_MS — every partition caught up and checked, none waiting to
 * retry or to commit past markers, no batch and no new assignment since.
 * An idle consumer's checks only confirm that nothing changed (one
 * Metadata and two ListOffsets per topic each time): what a slower pace
 * delays is noticing an empty topic recreated under it, by up to
 * IDLE_LOG_CHECK_MS instead of 5 s. Records arriving end the idle pace at
 * once (their batch counts as activity).
 */
import { IDLE_AFTER_MS } from "../kafka/kafkajs_fetch_wait.ts";

/** How long without activity before the slower pace (ms): the idle fetch wait's, one idea of idle. */
export { IDLE_AFTER_MS };

/** An idle consumer's log checks, one every (ms). */
export const IDLE_LOG_CHECK_MS = 15_000;

/** Decides, at each tick of the runner's log timer, whether to read the logs. */
export class LogCheckPace {
  #activeAt: number;
  #checkedAt = -Infinity;
  #idleAfterMs: number;
  #idleIntervalMs: number;

  constructor(options: { now?: number; idleAfterMs?: number; idleIntervalMs?: number } = {}) {
    this.#activeAt = options.now ?? Date.now();
    this.#idleAfterMs = options.idleAfterMs ?? IDLE_AFTER_MS;
    this.#idleIntervalMs = options.idleIntervalMs ?? IDLE_LOG_CHECK_MS;
  }

  /** Something happened (a batch, an assignment, a check that saw a change). */
  active(now = Date.now()): void {
    this.#activeAt = now;
  }

  /**
   * How long until the runner's next tick (ms): every `tickMs` until idle,
   * then not before the next idle check is due, so an idle consumer's timer
   * does not wake it every tick to decide that nothing is due. Activity in
   * between brings the tick back (the runner re-arms its timer).
   */
  nextTickIn(tickMs: number, now = Date.now()): number {
    if (now - this.#activeAt < this.#idleAfterMs) return tickMs;
    return Math.max(tickMs, this.#checkedAt + this.#idleIntervalMs - now);
  }

  /** Whether to read the logs now; `settled`: every partition caught up, none waiting. */
  due(settled: boolean, now = Date.now()): boolean {
    if (!settled) this.#activeAt = now;
    const idle = now - this.#activeAt >= this.#idleAfterMs;
    if (idle && now - this.#checkedAt < this.#idleIntervalMs) return false;
    this.#checkedAt = now;
    return true;
  }
}
