/**
 * Step 9 — an event contract: a zod schema for seed 002's
 * `{event: "PedidoCriado", data, timestamp}`, enforced by Freshet's
 * consumer runner; a message that breaks it goes to `<topic>.dlq` with the
 * reason, and the consumer keeps going.
 */
import { z } from "zod";
import { topic as topicHandler } from "../../shared/consumer/define.ts";
import { DLQ_HEADERS } from "../../shared/consumer/dead_letter.ts";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { readRange } from "../../shared/kafka/topic_reader.ts";
import { readDb, startTourConsumer } from "../consumer.ts";
import { table } from "../output.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

/** The contract of the step's topic (seed 002, phase 3: `{event, data, timestamp}`). */
export const pedidoCriadoSchema = z.object({
  event: z.literal("PedidoCriado"),
  data: z.object({ id: z.string().min(1), total: z.number().positive() }),
  timestamp: z.iso.datetime(),
});

/** The contract as a learner reads it (what pedidoCriadoSchema above checks). */
const CONTRACT = [
  ' key: the order id; value (JSON): {"event": "PedidoCriado",',
  '   "data": {"id": non-empty string, "total": number > 0},',
  '   "timestamp": ISO 8601 date-time, e.g. "2024-01-15T10:30:00Z"}',
];

const CONSUMER = "contrato";

/** Step 9. */
export const eventContract: TourStep = {
  title: "An event contract, and a bad message to the DLQ",
  concept: "Producer and consumer agree on a contract: the topic, the key and the shape of the " +
    "value. The consumer checks each message against it (a zod schema); one that does not fit " +
    "cannot be processed, so it goes to a dead-letter topic with the reason, and the rest flows on.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic("integracao-pedidos");
    const dlq = `${topic}.dlq`;
    await tour.createTopics([`${topic}  1  auto`, `${dlq}  1  auto`]);
    const runner = await startTourConsumer(tour, {
      name: CONSUMER,
      migrations: [{
        version: 1,
        name: "pedidos",
        up: "CREATE TABLE pedidos (id TEXT PRIMARY KEY, total REAL NOT NULL)",
      }],
      topics: {
        [topic]: topicHandler({
          schema: pedidoCriadoSchema,
          handle(ctx) {
            ctx.db.prepare("INSERT INTO pedidos (id, total) VALUES (?, ?)")
              .run(ctx.value.data.id, ctx.value.data.total);
          },
        }),
      },
    });
    const sent = [
      JSON.stringify({
        event: "PedidoCriado",
        data: { id: "p-1", total: 99.9 },
        timestamp: new Date().toISOString(),
      }),
      JSON.stringify({
        event: "PedidoCriado",
        data: { id: "p-2" },
        timestamp: new Date().toISOString(),
      }),
      "pedido p-3, sem JSON",
      JSON.stringify({
        event: "PedidoCriado",
        data: { id: "p-4", total: 10 },
        timestamp: new Date().toISOString(),
      }),
    ];
    const producer = tour.track(createIdempotentProducer(tour.admin));
    await producer.connect();
    await producer.send({
      topic,
      messages: sent.map((value, i) => ({ key: `p-${i + 1}`, value })),
    });
    await tour.close(producer);

    await tour.eventually(
      "the consumer handled all 4 messages",
      () => runner.counters.processed + runner.counters.deadLettered >= sent.length,
    );
    const stored = readDb(
      tour,
      CONSUMER,
      (db) => db.prepare("SELECT id FROM pedidos ORDER BY id").all().map((r) => String(r.id)),
    );
    tour.check(
      stored.join() === "p-1,p-4",
      "the two valid orders were stored, the others not",
      stored.join(),
    );
    let dead: Awaited<ReturnType<typeof readRange>>["messages"] = [];
    await tour.eventually(`the 2 bad messages are in ${dlq}`, async () => {
      dead = (await readRange(tour.admin, {
        groupId: tour.group("dlq"),
        topics: [dlq],
        from: "earliest",
      }))
        .messages;
      return dead.length >= 2;
    });
    const reasons = new Map(dead.map((m) => [m.key, m.headers[DLQ_HEADERS.error] ?? ""]));
    tour.check(
      /data\.total/.test(reasons.get("p-2") ?? ""),
      "p-2's dead letter names the missing field",
    );
    tour.check(/JSON/i.test(reasons.get("p-3") ?? ""), "p-3's dead letter says it is not JSON");
    tour.check(
      dead.every((m) =>
        m.headers[DLQ_HEADERS.topic] === topic && m.headers[DLQ_HEADERS.offset] !== undefined
      ),
      "each dead letter says where it came from (topic, partition, offset)",
    );
    await tour.close(runner);
    return {
      did: [
        `The contract of ${topic} (a zod schema, tour/steps/event_contract.ts):`,
        ...CONTRACT,
        "Ran a consumer on Freshet's runner (shared/consumer) with that schema, and sent four " +
        "messages: two valid, one without data.total, one that is not JSON:",
        ...table([
          ["key", "outcome"],
          ["p-1", "stored"],
          ...dead.map((m) => [m.key ?? "", `dead letter, ${dlq} offset ${m.offset}`]),
          ["p-4", "stored"],
        ]),
        ...dead.map((m) =>
          `${m.key}'s ${DLQ_HEADERS.error} header: "${m.headers[DLQ_HEADERS.error]}" ` +
          `(from ${m.headers[DLQ_HEADERS.topic]} offset ${m.headers[DLQ_HEADERS.offset]})`
        ),
      ],
      notice: [
        "The bad messages did not stop the consumer: p-4, sent after them, was stored. A poison " +
        "message that blocked its partition would stop every order behind it.",
        "The dead letter is the original record, byte for byte, with headers saying why " +
        `(${DLQ_HEADERS.error}, ${DLQ_HEADERS.code}) and where from — enough to fix and redrive it.`,
        "Freshet's topics and their contracts are in docs/contracts.md, generated from the same " +
        "zod schemas the consumers validate with.",
      ],
      commands: [
        `deno task kafka:cli kafka-console-consumer --topic ${dlq} --from-beginning ` +
        "--formatter-property print.headers=true --formatter-property print.key=true --timeout-ms 5000",
        `echo 'pedido sem JSON' | deno task kafka:cli kafka-console-producer --topic ${topic}`,
      ],
    };
  },
};
