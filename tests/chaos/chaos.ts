/**
 * Sizes of the fault tests. `deno task test` runs a short version of each
 * (bounded for CI); `deno task chaos` (FRESHET_CHAOS=full) runs them at the
 * sizes the issue names: 100,000 messages, 10 kills, a 30-s outage.
 */
import { DatabaseSync } from "node:sqlite";
import type { Kafka } from "kafkajs";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { sinkMessage } from "../fixtures/sink_consumer.ts";

/** True under `deno task chaos`. */
export const FULL = Deno.env.get("FRESHET_CHAOS") === "full";

/** `short` in the test suite, `full` under `deno task chaos`. */
export function size(short: number, full: number): number {
  return FULL ? full : short;
}

/** Rows of the sink consumer's table (tests/fixtures/sink_consumer.ts), and distinct `n`s. */
export function sinkRows(dataDir: string, name = "sink"): { rows: number; distinct: number } {
  try {
    const db = new DatabaseSync(`${dataDir}/${name}/${name}.db`, { readOnly: true });
    try {
      const r = db.prepare("SELECT count(*) AS c, count(DISTINCT n) AS d FROM items").get()!;
      return { rows: Number(r.c), distinct: Number(r.d) };
    } finally {
      db.close();
    }
  } catch {
    return { rows: 0, distinct: 0 }; // not created yet
  }
}

/** What a producer loop had acknowledged. */
export interface AckedLoad {
  /** `n`s the broker acknowledged (acks=all). */
  acked: Set<number>;
  /** Resolves when all were sent (or the loop gave up on some; see `failed`). */
  done: Promise<void>;
  /** Batches whose send failed for good (their `n`s may or may not be in the log). */
  failed: number;
}

/**
 * Produces `{n, payload}` for n in [0, total) with the kernel's idempotent
 * producer (acks=all, retried until acknowledged), `batch` per send, keyed
 * by n; records each acknowledged n.
 */
export function produceAcked(
  kafka: Kafka,
  topic: string,
  options: {
    total: number;
    batch?: number;
    paceMs?: number;
    /** The message of `n` (default `{n, payload}` keyed `k<n>`). */
    message?: (n: number) => { key: string; value: string };
  },
): AckedLoad {
  const acked = new Set<number>();
  const load: AckedLoad = { acked, failed: 0, done: Promise.resolve() };
  const batch = options.batch ?? 500;
  load.done = (async () => {
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    try {
      for (let start = 0; start < options.total; start += batch) {
        const ns = Array.from(
          { length: Math.min(batch, options.total - start) },
          (_, i) => start + i,
        );
        await producer.send({
          topic,
          acks: -1,
          messages: ns.map((n) => options.message?.(n) ?? sinkMessage(n)),
        });
        for (const n of ns) acked.add(n);
        if (options.paceMs) await new Promise((r) => setTimeout(r, options.paceMs));
      }
    } finally {
      await producer.disconnect();
    }
  })();
  return load;
}
