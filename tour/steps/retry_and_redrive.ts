/**
 * Step 10 — retry and redrive: a payment consumer whose gateway is briefly
 * down retries with backoff and succeeds; when the gateway stays down, the
 * message is dead-lettered after the last retry and the consumer moves on;
 * once the gateway is back, the dead letter is sent back (redrive) and
 * processed.
 */
import { z } from "zod";
import { TransientError } from "../../shared/core/errors.ts";
import { topic as topicHandler } from "../../shared/consumer/define.ts";
import { DLQ_HEADERS } from "../../shared/consumer/dead_letter.ts";
import type { BatchErrorInfo } from "../../shared/consumer/runner.ts";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { type ReadMessage, readRange } from "../../shared/kafka/topic_reader.ts";
import { readDb, startTourConsumer } from "../consumer.ts";
import { redrive } from "../redrive.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

const CONSUMER = "pagamentos";
const MAX_RETRIES = 3;

const paymentSchema = z.object({ pedido: z.string().min(1), valor: z.number().positive() });

/** A payment gateway that can be made unavailable for the next N calls, or for good. */
class Gateway {
  downFor = 0;
  calls = 0;
  charge(pedido: string): void {
    this.calls++;
    if (this.downFor > 0) {
      this.downFor--;
      throw new TransientError(
        `gateway de pagamento indisponível (pedido ${pedido})`,
        "GATEWAY_DOWN",
      );
    }
  }
}

/** Step 10. */
export const retryAndRedrive: TourStep = {
  title: "Retry, dead letter and redrive",
  concept: "A failure that may pass (a dependency down) is retried, waiting longer each time " +
    "(exponential backoff); one that keeps failing is parked in the dead-letter topic so the " +
    "partition moves on. Once the cause is fixed, the parked messages are sent back: a redrive.",
  async run(tour: Tour): Promise<StepReport> {
    const topic = tour.topic("pagamentos");
    const dlq = `${topic}.dlq`;
    await tour.createTopics([`${topic}  1  auto`, `${dlq}  1  auto`]);
    const gateway = new Gateway();
    const failures: BatchErrorInfo[] = [];
    const runner = await startTourConsumer(tour, {
      name: CONSUMER,
      migrations: [{
        version: 1,
        name: "pagos",
        up: "CREATE TABLE pagos (pedido TEXT PRIMARY KEY)",
      }],
      topics: {
        [topic]: topicHandler({
          schema: paymentSchema,
          handle(ctx) {
            gateway.charge(ctx.value.pedido);
            ctx.db.prepare("INSERT INTO pagos (pedido) VALUES (?)").run(ctx.value.pedido);
          },
        }),
      },
      runner: {
        maxRetries: MAX_RETRIES,
        initialRetryMs: 200,
        maxRetryMs: 1_000,
        onBatchError: (info) => failures.push(info),
      },
    });
    const paid = () =>
      readDb(tour, CONSUMER, (db) => db.prepare("SELECT pedido FROM pagos ORDER BY pedido").all())
        .map((r) => String(r.pedido));
    const producer = tour.track(createIdempotentProducer(tour.admin));
    await producer.connect();
    const pay = (pedido: string) =>
      producer.send({
        topic,
        messages: [{ key: pedido, value: JSON.stringify({ pedido, valor: 100 }) }],
      });

    gateway.downFor = 2;
    await pay("pedido-1");
    await tour.eventually(
      "pedido-1 is paid once the gateway is back",
      () => paid().includes("pedido-1"),
    );
    const retried = failures.filter((f) => f.willRetry).length;
    tour.check(
      retried === 2,
      "after exactly 2 failed attempts, retried with backoff",
      `${retried} retries`,
    );

    gateway.downFor = Number.MAX_SAFE_INTEGER;
    const before = failures.length;
    await pay("pedido-2");
    await tour.eventually(
      `pedido-2 is dead-lettered after ${MAX_RETRIES} retries`,
      () => runner.counters.deadLettered === 1,
      { timeoutMs: 30_000 },
    );
    const attempts = failures.slice(before);
    tour.check(
      attempts.length === MAX_RETRIES + 1 && attempts.at(-1)!.willRetry === false,
      `${MAX_RETRIES + 1} attempts, the last one not retried`,
      `${attempts.length} attempts`,
    );
    let dead: ReadMessage[] = [];
    await tour.eventually(`pedido-2 is in ${dlq}, with the reason`, async () => {
      dead = (await readRange(tour.admin, {
        groupId: tour.group("dlq-pagamentos"),
        topics: [dlq],
        from: "earliest",
      }))
        .messages;
      return dead.length === 1 && dead[0].headers[DLQ_HEADERS.code] === "GATEWAY_DOWN";
    });
    gateway.downFor = 0;
    await pay("pedido-3");
    await tour.eventually(
      "the partition moved on: pedido-3 is paid",
      () => paid().includes("pedido-3"),
    );
    tour.check(!paid().includes("pedido-2"), "pedido-2 is not paid (it is parked)");
    await tour.close(producer);

    const sentBack = await redrive(tour, dlq);
    await tour.eventually("after the redrive, pedido-2 is paid", () => paid().includes("pedido-2"));
    tour.check(
      paid().join() === "pedido-1,pedido-2,pedido-3",
      "each order paid exactly once",
      paid().join(),
    );
    await tour.close(runner);
    const delays = attempts.filter((a) => a.willRetry).map((_, i) =>
      `${Math.min(200 * 2 ** i, 1000)} ms`
    );
    return {
      did: [
        "Ran a payments consumer on Freshet's runner, charging a simulated gateway " +
        `(${MAX_RETRIES} retries, backoff from 200 ms doubling to 1 s, ±20 %).`,
        "pedido-1 with the gateway down for 2 calls: 2 failed attempts, retried, then paid.",
        `pedido-2 with the gateway down for good: ${attempts.length} attempts (waits of about ` +
        `${delays.join(", ")}), then sent to ${dlq} — "${dead[0].headers[DLQ_HEADERS.error]}".`,
        "pedido-3, sent next with the gateway back: paid at once — the partition was not blocked.",
        `Redrive: read ${dlq} and sent its ${sentBack.length} message back to ${topic} ` +
        `(tour/redrive.ts); pedido-2 was paid. Paid: ${paid().join(", ")}.`,
      ],
      notice: [
        "Retries are for errors that may pass: Freshet marks them retriable (TransientError); a " +
        "schema violation (step 9) is never retried — it goes straight to the DLQ.",
        "During the retries the partition waits, in order: the backoff is capped so a long " +
        "outage parks one message instead of stopping the whole stream.",
        "A redrive sends the original bytes back at a new offset; the consumer's offsets are " +
        "past the failure, so it reads them as new. Redrive only after fixing the cause, or " +
        "they come straight back.",
      ],
      commands: [
        `deno task kafka:cli kafka-console-consumer --topic ${dlq} --from-beginning ` +
        "--formatter-property print.headers=true --timeout-ms 5000",
        `deno task kafka:cli kafka-console-consumer --topic ${dlq} --from-beginning --max-messages 1 ` +
        "--formatter-property print.key=true | deno task kafka:cli kafka-console-producer " +
        `--topic ${topic} --reader-property parse.key=true`,
      ],
    };
  },
};
