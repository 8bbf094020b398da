import assert from "node:assert/strict";
import { Kafka, logLevel, Partitioners } from "kafkajs";
import { createErrorFromCode } from "kafkajs/src/protocol/error.js";
import { kafkaLineLevel } from "./client.ts";

Deno.test("KafkaJS log lines - the idempotent producer's retry-limit warning is a debug line, as KafkaJS words it", () => {
  const lines: { level: number; message: string }[] = [];
  const kafka = new Kafka({
    clientId: "log-test",
    brokers: ["127.0.0.1:1"],
    logLevel: logLevel.WARN,
    logCreator: () => ({ level, log }) => void lines.push({ level, message: log.message }),
  });
  // What a processor's transactional producer is given (shared/consumer/transactions.ts).
  kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 5 },
  });
  const warning = lines.find((l) => l.level === logLevel.WARN && /EoS/.test(l.message));
  assert.ok(
    warning,
    `KafkaJS still warns about a limited idempotent producer: ${JSON.stringify(lines)}`,
  );
  assert.equal(kafkaLineLevel(warning.level, warning.message), "debug");
});

Deno.test("KafkaJS log lines - other warnings and errors keep their level; expected broker answers are debug", () => {
  assert.equal(kafkaLineLevel(logLevel.WARN, "Consumer group rebalance took long"), "warn");
  assert.equal(kafkaLineLevel(logLevel.ERROR, "Response Fetch", "Connection timeout"), "error");
  assert.equal(
    kafkaLineLevel(logLevel.ERROR, "Response JoinGroup", "The coordinator is loading"),
    "debug",
  );
  assert.equal(kafkaLineLevel(logLevel.INFO, "Starting"), "info");
});

Deno.test("KafkaJS log lines - a partition's leadership moving is a debug line, in KafkaJS's words; other errors keep theirs", () => {
  // KafkaJS's own texts for these broker answers, so that a rewording fails here.
  const text = (code: number) => String(createErrorFromCode(code));
  for (const code of [5, 6, 14, 15, 16, 27]) {
    // LEADER_NOT_AVAILABLE, NOT_LEADER_FOR_PARTITION, coordinator loading / not available / not
    // the coordinator, REBALANCE_IN_PROGRESS: each is retried by KafkaJS.
    assert.equal(
      kafkaLineLevel(logLevel.ERROR, "Response ListOffsets", text(code)),
      "debug",
      text(code),
    );
  }
  // A producer's retry has the answer in its text (KafkaJS's sendMessages.js).
  const retry = (code: number) => `Failed to send messages: ${createErrorFromCode(code).message}`;
  assert.equal(kafkaLineLevel(logLevel.ERROR, retry(6)), "debug");
  assert.equal(kafkaLineLevel(logLevel.ERROR, retry(5)), "debug");
  assert.equal(kafkaLineLevel(logLevel.ERROR, retry(87)), "error");
  for (const code of [3, 29, 87]) {
    // UNKNOWN_TOPIC_OR_PARTITION, TOPIC_AUTHORIZATION_FAILED, INVALID_RECORD: worth an error line.
    assert.equal(
      kafkaLineLevel(logLevel.ERROR, "Response Produce", text(code)),
      "error",
      text(code),
    );
  }
});
