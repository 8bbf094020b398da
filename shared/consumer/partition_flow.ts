/**
 * What KafkaJS fetches: its pause flags on the runner's partitions, and
 * the commit past a tail of transaction markers.
 *
 * - KafkaJS keeps a partition's pause flag across rebalances, and loses
 *   every flag when it restarts its consumer (it has no group for a few
 *   seconds then, and pause and resume throw). So the flags follow the
 *   runner's own state: a partition is paused from its assignment until
 *   its position is checked, and while it waits to retry; a revoked one is
 *   resumed; the next assignment after a restart applies them again.
 * - A batch of transaction markers (or aborted records) only never reaches
 *   eachBatch, and KafkaJS commits past it only if a second has passed
 *   since its last commit: a transactional topic's last marker would stay
 *   lag for ever. Once the partition stayed idle TAIL_COMMIT_MS, its
 *   position is committed (a view: the copy for lag display; a processor:
 *   in a transaction of offsets alone).
 */
import type { Consumer } from "kafkajs";
import type { Logger } from "../core/log.ts";
import type { CommitProtocol } from "./commit_protocol.ts";
import type { PartitionState, PartitionStates } from "./partition_state.ts";

/** How long a partition must stay idle after a batch of markers before its position is committed. */
export const TAIL_COMMIT_MS = 1_000;

/** What the flow needs of the runner. */
export interface PartitionFlowHost {
  consumer(): Consumer;
  protocol(): CommitProtocol;
  partitions: PartitionStates;
  log: Logger;
  /** Whether the consumer is consuming (running or retrying). */
  consuming(): boolean;
}

/** KafkaJS's pause flags and the commits past markers, for one runner. */
export class PartitionFlow {
  #host: PartitionFlowHost;

  constructor(host: PartitionFlowHost) {
    this.#host = host;
  }

  /** Pauses the partition in KafkaJS; false while KafkaJS restarts its consumer. */
  pause(state: PartitionState): boolean {
    try {
      this.#host.consumer().pause([{ topic: state.topic, partitions: [state.partition] }]);
      return true;
    } catch (error) {
      this.#host.log.debug("pause not applied (the consumer is restarting)", { error });
      return false;
    }
  }

  /** Resumes the partition in KafkaJS (nothing to do while it restarts its consumer). */
  resume(state: PartitionState): void {
    try {
      this.#host.consumer().resume([{ topic: state.topic, partitions: [state.partition] }]);
    } catch (error) {
      this.#host.log.debug("resume not applied (the consumer is restarting)", { error });
    }
  }

  /** Resumes a partition that is still assigned, checked and not waiting to retry. */
  resumeIfFree(state: PartitionState): void {
    if (this.#host.partitions.get(state.topic, state.partition) !== state) return;
    if (state.checked && state.retryTimer === undefined) this.resume(state);
  }

  /** Commits the partition's position once it stayed idle TAIL_COMMIT_MS (see the module comment). */
  commitTailSoon(state: PartitionState): void {
    clearTimeout(state.tailTimer);
    const offset = state.position!;
    state.tailTimer = setTimeout(async () => {
      state.tailTimer = undefined;
      const still = () =>
        this.#host.partitions.get(state.topic, state.partition) === state &&
        state.checked === true && state.retryTimer === undefined && state.position === offset &&
        this.#host.consuming();
      if (!still()) return;
      state.tailPending = true;
      try {
        await this.#host.protocol().commitPosition(state.topic, state.partition, offset, still);
        if (state.position === offset) state.tailPending = false;
      } catch (error) {
        this.#host.log.debug("position past the markers not committed; trying again", { error });
      }
    }, TAIL_COMMIT_MS);
  }

  /** A commit past markers that failed or waited is tried again (from the periodic check). */
  retryTail(state: PartitionState): void {
    if (state.tailPending && state.tailTimer === undefined) this.commitTailSoon(state);
  }
}
