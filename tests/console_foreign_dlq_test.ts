/**
 * Dead letters written by other frameworks, byte for byte as they write
 * them (their sources: Spring Kafka's DeadLetterPublishingRecoverer, Kafka
 * Connect's DeadLetterQueueReporter): Spring's `<topic>.DLT` with
 * `kafka_dlt-*` headers (partition and offset as big-endian int and long),
 * Connect's `dlq-<connector>` with `__connect.errors.*` headers (decimal
 * strings). The console lists their topics, says which convention each
 * dead letter follows, shows its reason and origin, and redrives it to the
 * original topic with the original headers and without the framework's;
 * a dead letter naming an internal topic is never sent there.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { Partitioners } from "kafkajs";
import { REDRIVE_HEADERS } from "../services/console/dlq/dead_letter_info.ts";
import type { DlqTopicSummary } from "../services/console/dlq/dlq_view.ts";
import type { DeadLetterPage } from "../services/console/dlq/web/dlq_reads.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { adminKafka, createTopics, randomName } from "./helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { consoleCaller } from "./console_helpers.ts";

const int32 = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
};
const int64 = (n: number) => {
  const b = Buffer.alloc(8);
  b.writeBigInt64BE(BigInt(n));
  return b;
};

const STACK =
  "java.lang.IllegalStateException: no such customer\n\tat com.example.Listener.on(L.java:42)";

/** Headers as Spring Kafka's DeadLetterPublishingRecoverer adds them, after the record's own. */
function springHeaders(topic: string, partition: number, offset: number) {
  return {
    traceparent: "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "kafka_dlt-original-topic": Buffer.from(topic),
    "kafka_dlt-original-partition": int32(partition),
    "kafka_dlt-original-offset": int64(offset),
    "kafka_dlt-original-timestamp": int64(Date.parse("2024-05-01T10:00:00Z")),
    "kafka_dlt-original-timestamp-type": Buffer.from("CreateTime"),
    "kafka_dlt-original-consumer-group": Buffer.from("billing-service"),
    "kafka_dlt-exception-fqcn": Buffer.from(
      "org.springframework.kafka.listener.ListenerExecutionFailedException",
    ),
    "kafka_dlt-exception-cause-fqcn": Buffer.from("java.lang.IllegalStateException"),
    "kafka_dlt-exception-message": Buffer.from(
      "Listener method 'on' threw exception; nested exception is no such customer",
    ),
    "kafka_dlt-exception-stacktrace": Buffer.from(STACK),
  };
}

/** Headers as Kafka Connect's DeadLetterQueueReporter adds them (context headers on). */
function connectHeaders(topic: string, partition: number, offset: number) {
  return {
    "__connect.errors.topic": Buffer.from(topic),
    "__connect.errors.partition": Buffer.from(String(partition)),
    "__connect.errors.offset": Buffer.from(String(offset)),
    "__connect.errors.connector.name": Buffer.from("jdbc-sink"),
    "__connect.errors.task.id": Buffer.from("0"),
    "__connect.errors.stage": Buffer.from("VALUE_CONVERTER"),
    "__connect.errors.class.name": Buffer.from("org.apache.kafka.connect.json.JsonConverter"),
    "__connect.errors.exception.class.name": Buffer.from(
      "org.apache.kafka.connect.errors.DataException",
    ),
    "__connect.errors.exception.message": Buffer.from(
      "Converting byte[] to Kafka Connect data failed due to serialization error",
    ),
    "__connect.errors.exception.stacktrace": Buffer.from("org.apache.kafka.connect.errors..."),
  };
}

Deno.test({
  name: "console dlq - Spring Kafka's and Kafka Connect's dead letters are shown and redriven",
  sanitizeResources: false,
  async fn(t) {
    const kafka = adminKafka();
    const original = randomName("billing");
    const spring = `${original}.DLT`;
    const connect = `dlq-${randomName("jdbc")}`;
    const freshet = `${original}.dlq`;
    const drop = await createTopics(kafka, [
      { topic: original, numPartitions: 3 },
      { topic: spring },
      { topic: connect },
      { topic: freshet },
    ]);
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-foreign-dlq-" });
    const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
    const call = consoleCaller(app);
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      await producer.send({
        topic: spring,
        messages: [
          { key: "cust-7", value: '{"invoice":7}', headers: springHeaders(original, 2, 12345) },
          {
            key: "internal",
            value: "{}",
            headers: springHeaders("__consumer_offsets", 0, 1),
          },
        ],
      });
      await producer.send({
        topic: connect,
        messages: [{ key: null, value: "not json{", headers: connectHeaders(original, 1, 42) }],
      });
      await producer.send({
        topic: freshet,
        messages: [{
          key: "f",
          value: "{}",
          headers: {
            [DLQ_HEADERS.error]: "value is not valid JSON",
            [DLQ_HEADERS.code]: "INVALID_JSON",
            [DLQ_HEADERS.topic]: original,
            [DLQ_HEADERS.partition]: "0",
            [DLQ_HEADERS.offset]: "3",
          },
        }],
      });

      await t.step("GET /api/dlq lists the three topics with where they go back", async () => {
        const { status, body } = await call("viewer", "GET", "/api/dlq");
        assert.equal(status, 200);
        const mine = (body.topics as DlqTopicSummary[]).filter((s) =>
          [spring, connect, freshet].includes(s.topic)
        );
        assert.deepEqual(
          mine.map((s) => [s.topic, s.originalTopic, s.count]).sort(),
          [[connect, original, 1], [freshet, original, 1], [spring, "__consumer_offsets", 2]]
            .sort(),
        );
      });

      await t.step("a Spring dead letter: convention, reason, origin (binary ints)", async () => {
        const page = (await call("viewer", "GET", `/api/dlq/${spring}?seek=oldest`))
          .body as DeadLetterPage;
        const d = page.messages[0].deadLetter;
        assert.equal(d.convention, "spring");
        assert.equal(d.originalTopic, original);
        assert.equal(d.originalPartition, 2);
        assert.equal(d.originalOffset, 12345);
        assert.match(d.error!, /no such customer/);
        assert.equal(
          d.code,
          "org.springframework.kafka.listener.ListenerExecutionFailedException (cause java.lang.IllegalStateException)",
        );
        assert.equal(d.group, "billing-service");
        assert.equal(d.failedAt, "2024-05-01T10:00:00.000Z");
        assert.equal(d.stacktrace, STACK);
      });

      await t.step("a Connect dead letter: convention, reason, origin (strings)", async () => {
        const page = (await call("viewer", "GET", `/api/dlq/${connect}`)).body as DeadLetterPage;
        const d = page.messages[0].deadLetter;
        assert.equal(d.convention, "connect");
        assert.equal(d.originalTopic, original);
        assert.equal(d.originalPartition, 1);
        assert.equal(d.originalOffset, 42);
        assert.equal(d.code, "org.apache.kafka.connect.errors.DataException");
        assert.match(d.error!, /serialization error/);
        assert.equal(d.consumer, "jdbc-sink/0 (VALUE_CONVERTER)");
      });

      await t.step("Freshet's own still reads as freshet", async () => {
        const page = (await call("viewer", "GET", `/api/dlq/${freshet}`)).body as DeadLetterPage;
        assert.equal(page.messages[0].deadLetter.convention, "freshet");
        assert.equal(page.messages[0].deadLetter.code, "INVALID_JSON");
      });

      await t.step("the pages say which convention", async () => {
        const res = await app.fetch(
          new Request(`http://127.0.0.1/console/dlq/${spring}?seek=oldest`, {
            headers: basic("viewer"),
          }),
        );
        const html = await res.text();
        assert.equal(res.status, 200);
        assert.match(html, /Spring Kafka dead letter/);
        const connectHtml = await (await app.fetch(
          new Request(`http://127.0.0.1/console/dlq/${connect}`, { headers: basic("viewer") }),
        )).text();
        assert.match(connectHtml, /Kafka Connect dead letter/);
      });

      await t.step(
        "redrive sends each back to its original topic, framework headers dropped",
        async () => {
          const s = await call("operator", "POST", `/api/dlq/${spring}/redrive`, { all: true });
          assert.equal(s.status, 200, JSON.stringify(s.body));
          assert.equal(s.body.redriven.length, 1);
          assert.equal(s.body.redriven[0].to.topic, original);
          assert.equal(s.body.skipped.length, 1);
          assert.match(s.body.skipped[0].reason, /__consumer_offsets, an internal topic/);
          const c = await call("operator", "POST", `/api/dlq/${connect}/redrive`, {
            messages: [{ partition: 0, offset: 0 }],
          });
          assert.equal(c.status, 200, JSON.stringify(c.body));
          assert.equal(c.body.redriven[0].to.topic, original);

          const { messages } = await readRange(kafka, {
            groupId: randomName("foreign-dlq-read"),
            topics: [original],
            from: "earliest",
          });
          assert.equal(messages.length, 2);
          const fromSpring = messages.find((m) => m.key === "cust-7")!;
          assert.equal(new TextDecoder().decode(fromSpring.value!), '{"invoice":7}');
          assert.equal(fromSpring.headers.traceparent, springHeaders("", 0, 0).traceparent);
          assert.equal(fromSpring.headers[REDRIVE_HEADERS.of], `${spring}/0/0`);
          const fromConnect = messages.find((m) => m.key === null)!;
          assert.equal(new TextDecoder().decode(fromConnect.value!), "not json{");
          for (const m of messages) {
            const names = Object.keys(m.headers);
            assert.ok(
              !names.some((n) => n.startsWith("kafka_dlt-") || n.startsWith("__connect.errors.")),
              names.join(),
            );
            assert.equal(m.headers[REDRIVE_HEADERS.count], "1");
          }
        },
      );

      await t.step("a topic not named like a dead-letter topic is refused", async () => {
        const { status, body } = await call("viewer", "GET", `/api/dlq/${original}`);
        assert.equal(status, 400);
        assert.match(body.error?.message ?? body.message, /not a dead-letter topic/);
      });
    } finally {
      await producer.disconnect();
      shutdown();
      await drop();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
