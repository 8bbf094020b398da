/**
 * The broker's security as Freshet sets it up: SASL logins (SCRAM-SHA-256
 * and PLAIN) and per-principal ACLs, including the real kafka-acls.txt
 * keeping services apart.
 */
import assert from "node:assert/strict";
import { Kafka, logLevel, type SASLOptions } from "kafkajs";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { type KafkaConfig, loadKafkaConfig, type SaslMechanism } from "../shared/kafka/config.ts";
import {
  type AclBinding,
  createBindings,
  deleteBindings,
  provision,
} from "../shared/provision/mod.ts";
import { adminKafka, createTopics, joinAndFetch, randomName } from "./helpers.ts";
import { PRINCIPALS } from "../freshet.ts";

/** A client of `principal`, quiet and without retries, since failures are expected. */
function clientOf(principal: string, sasl?: Partial<NonNullable<KafkaConfig["sasl"]>>): Kafka {
  const config = loadKafkaConfig(principal);
  return createKafka(
    { ...config, sasl: { ...config.sasl!, ...sasl } },
    { quiet: true, retries: 0, clientSuffix: "security-test" },
  );
}

/** The KafkaJS protocol error type in an error or its causes, e.g. TOPIC_AUTHORIZATION_FAILED. */
function protocolType(error: unknown): string | undefined {
  type Chain = { type?: string; cause?: Chain; originalError?: Chain };
  for (let e = error as Chain | undefined; e; e = e.cause ?? e.originalError) {
    if (e.type) return e.type;
  }
}

async function produceAs(principal: string, topic: string): Promise<void> {
  const producer = clientOf(principal).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: [{ key: "k", value: "security-test" }] });
  } finally {
    await producer.disconnect();
  }
}

async function refusedWith(what: Promise<unknown>): Promise<string | undefined> {
  const error = await what.then(() => null, (e) => e);
  assert.ok(error, "the operation was allowed");
  return protocolType(error);
}

Deno.test("security - SASL logs in with the right password", async (t) => {
  for (const mechanism of ["scram-sha-256", "plain"] as SaslMechanism[]) {
    await t.step(mechanism, async () => {
      const admin = clientOf("web", { mechanism }).admin();
      await admin.connect();
      await admin.disconnect();
    });
  }
});

Deno.test("security - SASL refuses a wrong password or an unknown user", async (t) => {
  const cases: [string, SaslMechanism, string, string][] = [
    ["wrong password, SCRAM-SHA-256", "scram-sha-256", "web", "not-the-password"],
    ["wrong password, PLAIN", "plain", "web", "not-the-password"],
    ["unknown user, SCRAM-SHA-256", "scram-sha-256", "mallory", "web-secret"],
  ];
  for (const [name, mechanism, username, password] of cases) {
    await t.step(name, async () => {
      const admin = clientOf("web", { mechanism, username, password }).admin();
      try {
        const error = await admin.connect().then(() => null, (e) => e);
        assert.ok(error, "the login was accepted");
        assert.equal(error.name, "KafkaJSSASLAuthenticationError", String(error));
      } finally {
        await admin.disconnect();
      }
    });
  }
});

Deno.test("security - only a principal granted WRITE can produce to a topic", async () => {
  const kafka = adminKafka();
  await provision({ principals: PRINCIPALS, kafka });
  const topic = randomName("t");
  const dropTopic = await createTopics(kafka, [{ topic }]);
  const grant = (operation: string): AclBinding => ({
    principal: "web",
    resourceType: "topic",
    patternType: "literal",
    resourceName: topic,
    operation,
    permission: "allow",
    host: "*",
  });
  const bindings = [grant("WRITE"), grant("DESCRIBE")];
  try {
    // monitor may DESCRIBE every topic (topic:*) but not WRITE: the produce itself is refused.
    assert.equal(await refusedWith(produceAs("monitor", topic)), "TOPIC_AUTHORIZATION_FAILED");
    assert.equal(await refusedWith(produceAs("web", topic)), "TOPIC_AUTHORIZATION_FAILED");
    await withAdmin(kafka, (admin) => createBindings(admin, bindings));
    await produceAs("web", topic);
    // doctor has no binding on the topic at all.
    assert.equal(await refusedWith(produceAs("doctor", topic)), "TOPIC_AUTHORIZATION_FAILED");
    assert.equal(await refusedWith(produceAs("monitor", topic)), "TOPIC_AUTHORIZATION_FAILED");
  } finally {
    await withAdmin(kafka, (admin) => deleteBindings(admin, bindings));
    await dropTopic();
  }
});

Deno.test("security - the real kafka-acls.txt keeps services apart", async (t) => {
  const result = await provision({ principals: PRINCIPALS, kafka: adminKafka() });
  assert.deepEqual(result.errors, []);
  await t.step("payments reads orders.created but cannot read contas", async () => {
    await joinAndFetch(clientOf("payments"), "orders.created", randomName("payments-test"));
    assert.equal(
      await refusedWith(joinAndFetch(clientOf("payments"), "contas", randomName("payments-test"))),
      "TOPIC_AUTHORIZATION_FAILED",
    );
  });
  await t.step("balances cannot write orders.paid", async () => {
    assert.equal(
      await refusedWith(produceAs("balances", "orders.paid")),
      "TOPIC_AUTHORIZATION_FAILED",
    );
  });
  await t.step("a service joins its own groups, not another service's", async () => {
    await joinAndFetch(clientOf("balances"), "contas", randomName("balances-test"));
    const recorder = recordingClient("balances");
    const error = await joinAndFetch(recorder.kafka, "contas", randomName("doctor-test")).catch((
      e,
    ) => e);
    assert.ok(error instanceof Error, "the join was allowed");
    // KafkaJS turns FindCoordinator's refusal into KafkaJSGroupCoordinatorNotFound;
    // the broker's own error code is only in its debug log.
    assert.ok(recorder.types.includes("GROUP_AUTHORIZATION_FAILED"), recorder.types.join(","));
  });
});

/** A client of `principal` that records the protocol error types KafkaJS logs. */
function recordingClient(principal: string): { kafka: Kafka; types: string[] } {
  const config = loadKafkaConfig(principal);
  const types: string[] = [];
  const kafka = new Kafka({
    clientId: `${config.clientId}-security-test`,
    brokers: config.brokers,
    sasl: config.sasl as SASLOptions,
    retry: { retries: 0 },
    logLevel: logLevel.DEBUG,
    logCreator: () => ({ log }) => {
      const type = (log.error as { type?: unknown } | undefined)?.type;
      if (typeof type === "string") types.push(type);
    },
  });
  return { kafka, types };
}
