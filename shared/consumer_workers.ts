/**
 * Starts every consumer as a Worker of the web server, each with narrowed
 * permissions. (Filled in by the consumer runner work; until then no
 * consumer is started.)
 */

/** Handle on the running consumer Workers. */
export interface ConsumerWorkers {
  /** Names of the consumers started. */
  names: string[];
  /** Asks every consumer to finish its batch, commit and disconnect. */
  stop(): Promise<void>;
}

/** Options of `startConsumerWorkers`. */
export interface StartConsumerWorkersOptions {
  /** Data folder (each consumer gets its own sub-folder). */
  dataDir: string;
  /** Consumer names to start (default: all). */
  only?: string[];
}

/** Starts the consumer Workers. */
export function startConsumerWorkers(
  _options: StartConsumerWorkersOptions,
): Promise<ConsumerWorkers> {
  return Promise.resolve({ names: [], stop: () => Promise.resolve() });
}
