/**
 * Step 6 — compaction: a compacted topic shaped like seed 003's `contas`
 * keeps only the latest value of each key once the log cleaner has run; a
 * null value (tombstone) deletes its key.
 */
import { errorMessage } from "../../shared/core/errors.ts";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { type ReadMessage, readRange } from "../../shared/kafka/topic_reader.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

/** Topic configs that make compaction visible within seconds (see kafka-topics.txt for contas). */
const CONFIGS = "cleanup.policy=compact segment.ms=100 min.cleanable.dirty.ratio=0.01 " +
  "min.compaction.lag.ms=0 delete.retention.ms=60000";

const balance = (id: string, saldo: number) =>
  JSON.stringify({ cliente_id: id, saldo, timestamp: new Date().toISOString() });

/** What the step writes, in order; the last write of each key is what must remain. */
const WRITES: [string, number | null][] = [
  ["conta-1", 100],
  ["conta-2", 50],
  ["conta-1", 150],
  ["conta-3", 10],
  ["conta-1", 175],
  ["conta-3", null],
];

const text = (m: ReadMessage) =>
  m.value === null ? "null (tombstone)" : JSON.parse(new TextDecoder().decode(m.value)).saldo;

/** Step 6. */
export const compaction: TourStep = {
  title: "Compaction: the latest value per key",
  concept:
    "A compacted topic is a table: Kafka's log cleaner keeps, for each key, only the latest " +
    "message (older ones are removed in the background), and a message with a null value — a " +
    "tombstone — deletes its key. Seed 003 keeps account balances in such a topic, contas.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic("contas");
    await tour.createTopics([`${topic}  1  auto  ${CONFIGS}`]);
    const producer = tour.track(createIdempotentProducer(tour.admin));
    await producer.connect();
    await producer.send({
      topic,
      messages: WRITES.map(([key, saldo]) => ({
        key,
        value: saldo === null ? null : balance(key, saldo),
      })),
    });
    const written = Date.now();

    // Each read is a new consumer of its own group, so a read never waits on
    // the previous one's departure; a read that fails or stops short is
    // reported and asked again, never taken as the log.
    let reads = 0;
    let lastRead = "nothing read yet";
    const read = async (): Promise<ReadMessage[] | undefined> => {
      try {
        const result = await readRange(tour.admin, {
          groupId: tour.group(`contas-${++reads}`),
          topics: [topic],
          from: "earliest",
        });
        lastRead = `${result.messages.length} messages` +
          (result.complete ? "" : " (the read stopped before the end of the log)");
        return result.complete ? result.messages : undefined;
      } catch (error) {
        lastRead = `the read failed: ${errorMessage(error)}`;
        return undefined;
      }
    };
    // Read while the writes are still in the active segment, which the log
    // cleaner never touches: once a later write rolls it, it may be cleaned
    // at any moment (log.cleaner.backoff.ms), even before a slow reader joins.
    let before: ReadMessage[] = [];
    await tour.eventually(
      `all ${WRITES.length} writes are in the log`,
      async () => (before = (await read()) ?? []).length === WRITES.length,
      { detail: () => lastRead },
    );
    // segment.ms=100: the next write rolls the segment, which closes it for cleaning.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, written + 500 - Date.now())));
    await producer.send({ topic, messages: [{ key: "conta-4", value: balance("conta-4", 0) }] });
    await tour.close(producer);

    tour.say("waiting for the broker's log cleaner to compact the closed segment…");
    let after: ReadMessage[] = before;
    await tour.eventually(
      "the log cleaner compacted the log: each key appears once",
      async () => {
        const messages = await read();
        if (messages === undefined) return false;
        after = messages;
        return new Set(after.map((m) => m.key)).size === after.length;
      },
      { timeoutMs: 120_000, detail: () => `${lastRead} for 4 keys` },
    );
    const latest = new Map(after.map((m) => [m.key, m]));
    const saldoOf = (key: string) => {
      const message = latest.get(key);
      return message === undefined ? "nothing" : text(message);
    };
    tour.check(
      saldoOf("conta-1") === 175 && saldoOf("conta-2") === 50,
      "what remains of each key is its latest value (conta-1: 175, conta-2: 50)",
      `conta-1: ${saldoOf("conta-1")}, conta-2: ${saldoOf("conta-2")}`,
    );
    const tombstone = latest.get("conta-3");
    tour.check(
      tombstone === undefined || tombstone.value === null,
      "conta-3's old balance is gone; only its tombstone may remain",
    );
    const accounts = [...latest.values()].filter((m) => m.value !== null).map((m) => m.key).sort();
    tour.check(
      accounts.join() === "conta-1,conta-2,conta-4",
      "a table read from the topic has no conta-3",
    );
    const rows = (messages: ReadMessage[]) => [
      ["offset", "key", "saldo"],
      ...messages.map((m) => [m.offset, m.key ?? "", text(m)]),
    ];
    return {
      did: [
        `Created the compacted topic ${topic} (${CONFIGS}) and wrote balances and a tombstone ` +
        "for conta-3:",
        ...table(rows(before)),
        "Half a second later it wrote conta-4, which closed that first segment; after the log " +
        "cleaner's pass:",
        ...table(rows(after)),
      ],
      notice: [
        "Offsets did not change: compaction removes messages, it never renumbers. A consumer " +
        "reading from the beginning now rebuilds the same table with fewer messages.",
        "The tombstone stays for delete.retention.ms (here a minute, a day for Freshet's contas) " +
        "so a consumer that was away still sees the deletion; then it goes too.",
        "Cleaning runs in the background on closed segments only: a reader must always expect " +
        "several values per key and keep the last — as Freshet's balances consumer does.",
      ],
      commands: [
        `deno task kafka:cli kafka-console-consumer --topic ${topic} --from-beginning ` +
        "--formatter-property print.key=true --formatter-property print.offset=true --timeout-ms 5000",
        `deno task kafka:cli kafka-configs --describe --entity-type topics --entity-name ${topic}`,
      ],
    };
  },
};
