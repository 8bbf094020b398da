/**
 * A backlog loaded behind a gate: every message is written in one Kafka
 * transaction left open, so consumers reading committed records (the
 * kernel's consumers do) see none of it until `open()` commits it — then
 * all of it at once. Consumers that join a group one after another would
 * otherwise start on the backlog before the last one joined, and a view
 * handed a partition another instance had begun applies it again from its
 * own stored offset: with the gate, the group settles first, and every
 * instance starts on the same backlog at the same moment.
 */
import { Buffer } from "node:buffer";
import { CompressionTypes, type Kafka, Partitioners } from "kafkajs";

/** Longest the gate may stay closed (the broker aborts the transaction after it; its maximum is 15 min). */
const GATE_TIMEOUT_MS = 600_000;

/** A loaded backlog, not yet visible to readers of committed records. */
export interface GatedBacklog {
  /** Commits the transaction: the whole backlog becomes visible. */
  open(): Promise<void>;
  /** Aborts it (the backlog is never seen) and disconnects. */
  discard(): Promise<void>;
}

/**
 * Writes `count` messages made by `make(i)` to `topic` in one open
 * transaction, `perSend` a request; reports progress each 10 %.
 */
export async function loadGatedBacklog(
  kafka: Kafka,
  topic: string,
  count: number,
  make: (i: number) => { key: string; value: string },
  options: { perSend?: number; progress?: (done: number) => void } = {},
): Promise<GatedBacklog> {
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionalId: `bench-gate-${crypto.randomUUID()}`,
    transactionTimeout: GATE_TIMEOUT_MS,
  });
  await producer.connect();
  let ended = false;
  const end = async (how: "commit" | "abort") => {
    if (ended) return;
    ended = true;
    try {
      await (how === "commit" ? transaction.commit() : transaction.abort());
    } finally {
      await producer.disconnect();
    }
  };
  const transaction = await producer.transaction();
  try {
    const perSend = options.perSend ?? 2_000;
    let reported = 0;
    for (let i = 0; i < count; i += perSend) {
      const messages = [];
      for (let j = i; j < Math.min(count, i + perSend); j++) {
        const m = make(j);
        messages.push({ key: m.key, value: Buffer.from(m.value) });
      }
      await transaction.send({ topic, acks: -1, compression: CompressionTypes.None, messages });
      if (i + perSend - reported >= count / 10) {
        reported = Math.min(count, i + perSend);
        options.progress?.(reported);
      }
    }
  } catch (error) {
    await end("abort").catch(() => {});
    throw error;
  }
  return { open: () => end("commit"), discard: () => end("abort") };
}
