/**
 * The real kafka-acls.txt keeps the orders topics to their services: a
 * principal without WRITE on `orders.paid` (balances) is refused, and
 * payments, which only reads `orders.created`, cannot write it.
 */
import assert from "node:assert/strict";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { provision } from "../shared/provision/mod.ts";
import { adminKafka } from "./helpers.ts";
import { PRINCIPALS } from "../freshet.ts";

/** The KafkaJS protocol error type in an error or its causes. */
function protocolType(error: unknown): string | undefined {
  type Chain = { type?: string; cause?: Chain; originalError?: Chain };
  for (let e = error as Chain | undefined; e; e = e.cause ?? e.originalError) {
    if (e.type) return e.type;
  }
}

async function produceAs(principal: string, topic: string): Promise<unknown> {
  const kafka = createKafka(loadKafkaConfig(principal), {
    quiet: true,
    retries: 0,
    clientSuffix: "orders-acl-test",
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: "k", value: "{}" }] });
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await producer.disconnect();
  }
}

Deno.test("orders ACLs - only the services may write the order topics", async (t) => {
  const result = await provision({ principals: PRINCIPALS, kafka: adminKafka() });
  assert.deepEqual(result.errors, []);
  await t.step("balances cannot write orders.paid", async () => {
    const error = await produceAs("balances", "orders.paid");
    assert.ok(error, "the write was allowed");
    assert.equal(protocolType(error), "TOPIC_AUTHORIZATION_FAILED");
  });
  await t.step("payments cannot write orders.created", async () => {
    assert.equal(
      protocolType(await produceAs("payments", "orders.created")),
      "TOPIC_AUTHORIZATION_FAILED",
    );
  });
});
