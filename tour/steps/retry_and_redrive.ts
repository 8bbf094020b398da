/**
 * Step 10 — retry and redrive: a payment consumer whose gateway is briefly
 * down retries that payment with backoff and succeeds; a payment the
 * gateway refuses for good (a poison message) is dead-lettered at once and
 * the partition moves on; once the cause is fixed, the dead letter is sent
 * back (redrive) and processed.
 */
import { z } from "zod";
import { FreshetError, TransientError } from "../../shared/core/errors.ts";
import { topic as topicHandler } from "../../shared/consumer/define.ts";
import { DLQ_HEADERS } from "../../shared/consumer/dead_letter.ts";
import type { BatchErrorInfo } from "../../shared/consumer/runner.ts";
import { createIdempotentProducer } from "../../shared/kafka/client.ts";
import { type ReadMessage, readRange } from "../../shared/kafka/topic_reader.ts";
import { readDb, startTourConsumer } from "../consumer.ts";
import { redrive } from "../redrive.ts";
import type { StepReport, Tour, TourStep } from "../tour.ts";

const CONSUMER = "pagamentos";

const paymentSchema = z.object({ pedido: z.string().min(1), valor: z.number().positive() });

/**
 * A payment gateway that can be made unavailable for the next N calls (an
 * error that may pass), or refuse given orders (an error that never will).
 */
class Gateway {
  downFor = 0;
  refused = new Set<string>();
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
    if (this.refused.has(pedido)) {
      throw new FreshetError(`cartão recusado (pedido ${pedido})`, {
        code: "CARD_REFUSED",
        retriable: false,
      });
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

    gateway.refused.add("pedido-2");
    const before = failures.length;
    await pay("pedido-2");
    await pay("pedido-3");
    await tour.eventually(
      "pedido-2 is dead-lettered at once (the gateway refuses it for good)",
      () => runner.counters.deadLettered === 1,
      { timeoutMs: 30_000 },
    );
    const attempts = failures.slice(before);
    tour.check(
      attempts.length === 1 && attempts[0].willRetry === false,
      "one attempt, not retried: a refusal is not an error that may pass",
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
      return dead.length === 1 && dead[0].headers[DLQ_HEADERS.code] === "CARD_REFUSED";
    });
    await tour.eventually(
      "the partition moved on: pedido-3 is paid",
      () => paid().includes("pedido-3"),
    );
    tour.check(!paid().includes("pedido-2"), "pedido-2 is not paid (it is parked)");
    await tour.close(producer);

    gateway.refused.delete("pedido-2"); // the cause is fixed (say, the card was replaced)
    const sentBack = await redrive(tour, dlq);
    await tour.eventually("after the redrive, pedido-2 is paid", () => paid().includes("pedido-2"));
    tour.check(
      paid().join() === "pedido-1,pedido-2,pedido-3",
      "each order paid exactly once",
      paid().join(),
    );
    await tour.close(runner);
    return {
      did: [
        "Ran a payments consumer on Freshet's runner, charging a simulated gateway " +
        "(backoff from 200 ms doubling to 1 s, ±20 %, counted per message).",
        "pedido-1 with the gateway down for 2 calls: 2 failed attempts, retried, then paid.",
        `pedido-2, which the gateway refuses: 1 attempt, then sent to ${dlq} — ` +
        `"${dead[0].headers[DLQ_HEADERS.error]}".`,
        "pedido-3, sent right after it: paid — the partition was not blocked.",
        `Redrive: read ${dlq} and sent its ${sentBack.length} message back to ${topic} ` +
        `(tour/redrive.ts); pedido-2 was paid. Paid: ${paid().join(", ")}.`,
      ],
      notice: [
        "Retries are for errors that may pass: Freshet marks them retriable (TransientError); a " +
        "schema violation (step 9) is never retried — it goes straight to the DLQ.",
        "During the retries that partition waits, in order, paused (the others go on, and the " +
        "consumer keeps its place in the group). A dependency outage dead-letters nothing: " +
        "a message that keeps failing is parked only when the messages after it succeed.",
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
