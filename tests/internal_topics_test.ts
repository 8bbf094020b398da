/**
 * Kafka's internal topics are protected twice. The console refuses every
 * change to one (delete, produce, new partitions, configs, a redrive into
 * it, a new topic under `__`) with a 403 naming it, through the API and the
 * page's forms, and records the refusal; and kafka-acls.txt denies the
 * `console` principal those operations on the `__` prefix, so the broker
 * refuses them too — to KafkaJS as `console` and to Kafka's own
 * `kafka-topics --delete` run through `deno task kafka:cli --as console`.
 */
import assert from "node:assert/strict";
import type { Kafka } from "kafkajs";
import { withAdmin } from "../shared/kafka/client.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { provision } from "../shared/provision/mod.ts";
import { markedInternal } from "../services/console/topics/internal_topics.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { adminKafka, createTopics, randomName, runDeno } from "./helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { PRINCIPALS } from "../freshet.ts";

const ORIGIN = "http://127.0.0.1";

/** The KafkaJS protocol error type in an error or its causes. */
function protocolType(error: unknown): string | undefined {
  type Chain = { type?: string; cause?: Chain; originalError?: Chain; errors?: Chain[] };
  for (let e = error as Chain | undefined; e; e = e.cause ?? e.originalError ?? e.errors?.[0]) {
    if (e.type) return e.type;
  }
}

async function refusedType(what: Promise<unknown>): Promise<string | undefined> {
  const error = await what.then(() => null, (e) => e);
  assert.ok(error, "the broker allowed it");
  return protocolType(error) ?? String(error);
}

function consoleClient(): Kafka {
  return createKafka(loadKafkaConfig("console"), {
    quiet: true,
    retries: 0,
    clientSuffix: "internal-topics-test",
  });
}

Deno.test("internal topics - the console refuses every change to one, with a 403", async (t) => {
  const kafka = adminKafka();
  const reserved = `__freshet-test-${crypto.randomUUID().slice(0, 8)}`;
  const dropTopics = await createTopics(kafka, [{ topic: reserved }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-internal-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix: "" }, { auth: testAuth() });
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await app.fetch(
      new Request(`${ORIGIN}${path}`, {
        method,
        headers: { ...basic("operator"), "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    );
    return { status: response.status, text: await response.text() };
  };
  const form = async (path: string, fields: Record<string, string>) => {
    const response = await app.fetch(
      new Request(`${ORIGIN}${path}`, {
        method: "POST",
        headers: { ...basic("operator"), accept: "application/json" },
        body: new URLSearchParams(fields),
      }),
    );
    return { status: response.status, text: await response.text() };
  };
  try {
    const partitionsBefore = await withAdmin(
      kafka,
      (admin) => admin.fetchTopicMetadata({ topics: ["__consumer_offsets", reserved] }),
    );
    for (const topic of ["__consumer_offsets", reserved]) {
      const actions: [string, () => Promise<{ status: number; text: string }>][] = [
        ["DELETE the topic", () => call("DELETE", `/api/topics/${topic}?confirm=${topic}`)],
        [
          "add partitions",
          () => call("POST", `/api/topics/${topic}/partitions`, { partitions: 99 }),
        ],
        [
          "change a config",
          () => call("PATCH", `/api/topics/${topic}/configs`, { set: { "retention.ms": "1000" } }),
        ],
        ["produce", () => call("POST", `/api/topics/${topic}/messages`, { value: "x" })],
        [
          "redrive into it",
          () =>
            call("POST", `/api/dlq/${topic}.dlq/redrive`, {
              messages: [{ partition: 0, offset: 0 }],
            }),
        ],
        [
          "the page's delete form",
          () => form(`/console/topics/${topic}`, { intent: "delete", confirm: topic }),
        ],
        [
          "the page's produce form",
          () => form(`/console/topics/${topic}`, { intent: "produce", value: "x" }),
        ],
        [
          "the page's partitions form",
          () => form(`/console/topics/${topic}`, { intent: "partitions", partitions: "99" }),
        ],
        [
          "the page's configs form",
          () =>
            form(`/console/topics/${topic}`, { intent: "configs", configs: "retention.ms=1000" }),
        ],
      ];
      for (const [name, act] of actions) {
        await t.step(`${topic}: ${name} is a 403 naming it`, async () => {
          const { status, text } = await act();
          assert.equal(status, 403, text);
          assert.match(text, new RegExp(`${topic} is an internal topic of Kafka`));
        });
      }
    }
    await t.step("a new topic under __ is refused", async () => {
      for (
        const create of [
          () =>
            call("POST", "/api/topics", { name: `__freshet-new-${randomName()}`, partitions: 1 }),
          () => form("/console/topics", { name: `__freshet-new-${randomName()}`, partitions: "1" }),
        ]
      ) {
        const { status, text } = await create();
        assert.equal(status, 403, text);
        assert.match(text, /is an internal topic of Kafka/);
      }
    });
    await t.step("nothing changed on the broker", async () => {
      const after = await withAdmin(kafka, async (admin) => ({
        names: await admin.listTopics(),
        meta: await admin.fetchTopicMetadata({ topics: ["__consumer_offsets", reserved] }),
      }));
      assert.ok(after.names.includes(reserved));
      assert.ok(!after.names.some((n) => n.startsWith("__freshet-new-")));
      const shape = (m: typeof after.meta) =>
        m.topics.map((x) => `${x.name}:${x.partitions.length}`).sort();
      assert.deepEqual(shape(after.meta), shape(partitionsBefore));
    });
    await t.step("every refusal is in the audit log", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/audit?limit=100`, { headers: basic("viewer") }),
      );
      const { entries } = await response.json() as {
        entries: { action: string; user: string; result: string; target: string }[];
      };
      const refused = entries.filter((e) => e.result === "refused" && e.user === "operator");
      const actions = new Set(refused.map((e) => e.action));
      for (
        const action of [
          "topic.delete",
          "topic.partitions.add",
          "topic.configs.alter",
          "message.produce",
          "dlq.redrive",
          "topic.create",
        ]
      ) {
        assert.ok(actions.has(action), `${action} refusal recorded`);
      }
      assert.ok(refused.some((e) => e.target === "topic:__consumer_offsets"));
    });
    await t.step("the page says read-only and shows no operator form", async () => {
      const html = await (await app.fetch(
        new Request(`${ORIGIN}/console/topics/__consumer_offsets`, { headers: basic("operator") }),
      )).text();
      assert.match(html, /is an internal topic of Kafka: the console never deletes it/);
      assert.doesNotMatch(html, /name="intent" value="delete"/);
      const json = await (await app.fetch(
        new Request(`${ORIGIN}/api/topics/__consumer_offsets`, { headers: basic("viewer") }),
      )).json();
      assert.equal(json.internal, true);
    });
    await t.step("the broker's own flag is read (isInternal in Metadata)", async () => {
      const { createConsoleKafka } = await import("../services/console/console_kafka.ts");
      const consoleKafka = createConsoleKafka(loadKafkaConfig("console"));
      try {
        assert.equal(await markedInternal(consoleKafka, "__consumer_offsets"), true);
        assert.equal(await markedInternal(consoleKafka, reserved), false, "by name only");
      } finally {
        await consoleKafka.close();
      }
    });
  } finally {
    shutdown();
    await dropTopics();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("internal topics - kafka-acls.txt denies the console principal changes under __", async (t) => {
  const kafka = adminKafka();
  assert.deepEqual((await provision({ principals: PRINCIPALS, kafka })).errors, []);
  await t.step("applied idempotently: a dry run finds the denies in place", async () => {
    const dry = await provision({ principals: PRINCIPALS, kafka, dryRun: true });
    const denies = ["CREATE", "DELETE", "ALTER", "ALTER_CONFIGS", "WRITE"]
      .map((op) => `console topic:__* ${op} deny`);
    const unchanged = dry.unchanged.map((i) => i.name);
    for (const deny of denies) assert.ok(unchanged.includes(deny), deny);
    assert.ok(!dry.created.some((i) => i.name.includes("deny")), "nothing to create");
    assert.ok(!dry.drift.some((i) => i.name.startsWith("console ")), "no drift of the console");
  });
  const reserved = `__freshet-test-${crypto.randomUUID().slice(0, 8)}`;
  const ordinary = randomName("internal-control");
  await createTopics(kafka, [{ topic: reserved }, { topic: ordinary }]);
  const client = consoleClient();
  const admin = client.admin();
  await admin.connect();
  try {
    await t.step(
      "delete, new partitions, configs, create: TOPIC_AUTHORIZATION_FAILED",
      async () => {
        assert.equal(
          await refusedType(admin.deleteTopics({ topics: [reserved], timeout: 5_000 })),
          "TOPIC_AUTHORIZATION_FAILED",
        );
        assert.equal(
          await refusedType(
            admin.createPartitions({ topicPartitions: [{ topic: reserved, count: 3 }] }),
          ),
          "TOPIC_AUTHORIZATION_FAILED",
        );
        assert.equal(
          await refusedType(admin.alterConfigs({
            validateOnly: false,
            resources: [{
              type: 2,
              name: reserved,
              configEntries: [{ name: "retention.ms", value: "1000" }],
            }],
          })),
          "TOPIC_AUTHORIZATION_FAILED",
        );
        assert.equal(
          await refusedType(
            admin.createTopics({ topics: [{ topic: `__freshet-new-${randomName()}` }] }),
          ),
          "TOPIC_AUTHORIZATION_FAILED",
        );
      },
    );
    await t.step("produce: TOPIC_AUTHORIZATION_FAILED", async () => {
      const producer = client.producer({ allowAutoTopicCreation: false, retry: { retries: 0 } });
      await producer.connect();
      try {
        assert.equal(
          await refusedType(
            producer.send({ topic: reserved, acks: -1, messages: [{ value: "x" }] }),
          ),
          "TOPIC_AUTHORIZATION_FAILED",
        );
      } finally {
        await producer.disconnect();
      }
    });
    await t.step(
      "reading and describing stay allowed; an ordinary topic can still be deleted",
      async () => {
        const { topics } = await admin.fetchTopicMetadata({
          topics: ["__consumer_offsets", reserved],
        });
        assert.equal(topics.length, 2);
        await admin.deleteTopics({ topics: [ordinary], timeout: 10_000 });
      },
    );
    await t.step(
      "kafka:cli --as console kafka-topics --delete ends in an authorization error",
      async () => {
        const run = await runDeno([
          "task",
          "kafka:cli",
          "--as",
          "console",
          "kafka-topics",
          "--delete",
          "--topic",
          reserved,
        ]);
        assert.notEqual(run.code, 0, run.stdout);
        assert.match(run.stderr + run.stdout, /TopicAuthorizationException|Authorization failed/);
        const names = await withAdmin(kafka, (a) => a.listTopics());
        assert.ok(names.includes(reserved), "the topic is still there");
      },
    );
  } finally {
    await admin.disconnect();
    await withAdmin(kafka, async (a) => {
      const names = await a.listTopics();
      await a.deleteTopics({ topics: [reserved, ordinary].filter((n) => names.includes(n)) });
    });
  }
});
