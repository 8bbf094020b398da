/**
 * KafkaJS 2.2.4's fetch manager recreates its fetchers when the brokers
 * leading the assigned partitions change (`KafkaJSFetcherRebalanceError`),
 * after stopping the old ones. A `consumer.stop()` that lands while it is
 * stopping them stops those old fetchers only: the new ones start with the
 * consumer no longer running, and the runner's `fetch` answers them `[]` at
 * once, with no wait — each fetcher then loops on it in microtasks for
 * ever: 100 % of a core, every timer starved (so no stop deadline fires),
 * the stop never ends. Seen in CI: a consumer process given SIGTERM right
 * after a killed broker came back and took its partitions' leadership
 * again spun for 12 minutes without a network connection.
 *
 * `endFetchersAfterStop` makes that `fetch` stop the fetchers it serves
 * (the ones started after the stop) before answering, so their loops end and
 * KafkaJS's stop completes as it does when no rebalance is in the way. Like
 * the other patches, it changes KafkaJS's prototype for the whole isolate;
 * the client factory (client.ts) applies it.
 */
// @ts-types="./kafkajs_runner.d.ts"
import Runner from "kafkajs/src/consumer/runner.js";

let patched = false;

/** Makes fetchers started after a consumer's stop end instead of spinning; idempotent. */
export function endFetchersAfterStop(): void {
  if (patched) return;
  patched = true;
  const fetch = Runner.prototype.fetch;
  Runner.prototype.fetch = function (this: Runner, nodeId: number) {
    if (!this.running) {
      // Sets every current fetcher's flag at once (its wait for their end is not ours).
      void this.fetchManager.stop();
      return Promise.resolve([]);
    }
    return fetch.call(this, nodeId);
  };
}
