/**
 * The two runs of issue 17, end to end with the real doctor process: a
 * topic deleted and recreated while the doctor is stopped, then refilled
 * past its stored offset; records deleted below its stored position while
 * it is stopped. By default each ends in a loud stop naming the topic, the
 * partition and what is missing, never in messages skipped; with
 * `CONSUMER_ON_GAP=accept` every record still in the log is applied and the
 * gap is recorded in the doctor's database.
 */
import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { withAdmin } from "../shared/kafka/client.ts";
import { DEMANDS_CREATED } from "../services/demands/demand.ts";
import { sampleDemand } from "../services/demands/sample_demands.ts";
import { ORDERS_CREATED, ORDERS_FAILED, ORDERS_PAID } from "../services/orders/events.ts";
import { createRunner } from "../shared/consumer/main.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { ConsumerStore } from "../shared/web/consumer_store.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { monitorFixture } from "./monitor_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";
import { sinkConsumer } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { jsonOf, ordersWorld, readTopic, seedOrderMessage } from "./orders_helpers.ts";
import { type DemandsWorld, demandsWorld } from "./demands_helpers.ts";
import { launch, type Launched } from "./launched.ts";

/** A doctor process of `world`, as `deno task consumer:doctor` starts it. */
function startDoctor(
  world: { dataDir: string; prefix: string },
  name: string,
  env: Record<string, string> = {},
): Promise<Launched> {
  return launch("consumer:doctor", {
    env: {
      DOCTOR_NAME: name,
      DATA_DIR: world.dataDir,
      FRESHET_TOPIC_PREFIX: world.prefix,
      CONSUMER_SESSION_TIMEOUT_MS: "6000",
      ...env,
    },
  });
}

/** The doctor's rows (demand ids by offset), read as an operator would. */
function doctorRows(dataDir: string, name: string): { offset: number }[] {
  try {
    const db = new DatabaseSync(`${dataDir}/doctor-${name}/doctor-${name}.db`, { readOnly: true });
    try {
      return db.prepare("SELECT offset FROM demands ORDER BY offset").all()
        .map((r) => ({ offset: Number(r.offset) }));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

/** The gaps the doctor recorded. */
function recordedGaps(dataDir: string, name: string): Record<string, unknown>[] {
  const db = new DatabaseSync(`${dataDir}/doctor-${name}/doctor-${name}.db`, { readOnly: true });
  try {
    return db.prepare(
      "SELECT topic, partition, kind, from_offset, to_offset, policy FROM consumer_gaps ORDER BY id",
    ).all().map((r) => ({ ...r }));
  } finally {
    db.close();
  }
}

const demands = (count: number) =>
  Array.from({ length: count }, () => ({ value: JSON.stringify(sampleDemand()), partition: 0 }));

const doctorName = () => randomName("g").toLowerCase().replace(/[^a-z0-9-]/g, "");

/** Applies 5 demands with a doctor process, then stops it (SIGTERM, exit 0). */
async function fiveApplied(world: DemandsWorld, name: string, topic: string) {
  await produce(world.kafka, topic, demands(5));
  const doctor = await startDoctor(world, name);
  try {
    await waitFor("5 rows", () => doctorRows(world.dataDir, name).length === 5, 60_000);
  } finally {
    assert.equal((await doctor.stop()).code, 0, doctor.output());
  }
}

async function recreate(kafka: import("kafkajs").Kafka, topic: string): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    await admin.deleteTopics({ topics: [topic] });
    await waitFor("the topic gone", async () => !(await admin.listTopics()).includes(topic));
    await waitFor("the topic created again", async () => {
      try {
        return await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] }) || true;
      } catch {
        return false; // still being deleted
      }
    }, 30_000);
    await waitFor("its leaders", async () => {
      const offsets = await admin.fetchTopicOffsets(topic).catch(() => []);
      return offsets.length === 3;
    });
  });
}

/** Runs `fn` in a world of its own (demand topics, ACLs, data folder), removed after. */
async function inWorld(fn: (world: DemandsWorld, topic: string) => Promise<void>): Promise<void> {
  const world = await demandsWorld();
  try {
    await fn(world, world.topic(DEMANDS_CREATED));
  } finally {
    await world.close();
  }
}

/** Waits for the end of a process that should stop by itself; null if it is still running. */
async function endOf(process: Launched, timeoutMs = 60_000): Promise<Deno.CommandStatus | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = await Promise.race([
    process.status,
    new Promise<null>((r) => (timer = setTimeout(() => r(null), timeoutMs))),
  ]);
  clearTimeout(timer);
  return status;
}

/**
 * Starts doctor `name` (or takes the one `running`) and expects it to stop
 * by itself, loudly: exit 1, one line (no stack trace), nothing more
 * applied than `rows`. Its output.
 */
async function expectLoudStop(
  world: DemandsWorld,
  name: string,
  rows: number,
  running?: Launched,
): Promise<string> {
  const doctor = running ?? await startDoctor(world, name);
  const status = await endOf(doctor, 90_000);
  const output = doctor.output();
  await doctor.stop();
  assert.notEqual(
    status,
    null,
    `the doctor kept running with ${doctorRows(world.dataDir, name).length} rows:\n${
      output.slice(-3000)
    }`,
  );
  assert.equal(status!.code, 1, output);
  assert.doesNotMatch(output, /Uncaught| {4}at /, "one line, no stack trace");
  assert.equal(doctorRows(world.dataDir, name).length, rows, `nothing more applied:\n${output}`);
  return output;
}

/** A new doctor applied 5 demands and stopped; its topic was recreated with 10 new ones. Its name. */
async function recreatedUnder(world: DemandsWorld, topic: string): Promise<string> {
  const name = doctorName();
  await fiveApplied(world, name, topic);
  await recreate(world.kafka, topic);
  await produce(world.kafka, topic, demands(10));
  return name;
}

Deno.test("consumer gaps - a topic recreated and refilled past the stored offset while the doctor is stopped", async (t) => {
  await t.step(
    "by default the doctor stops loudly, naming the topic and what happened",
    () =>
      inWorld(async (world, topic) => {
        const name = await recreatedUnder(world, topic);
        const output = await expectLoudStop(world, name, 5);
        assert.match(output, new RegExp(`${topic}/0: the topic was deleted and created again`));
        assert.match(output, /stored offset 5/);
      }),
  );

  await t.step(
    "with CONSUMER_ON_GAP=accept it reads the new log from its start and records the gap",
    () =>
      inWorld(async (world, topic) => {
        const name = await recreatedUnder(world, topic);
        const doctor = await startDoctor(world, name, { CONSUMER_ON_GAP: "accept" });
        try {
          await waitFor("15 rows", () => doctorRows(world.dataDir, name).length === 15, 60_000)
            .catch((error) => {
              throw new Error(
                `${error.message} (${doctorRows(world.dataDir, name).length}):\n${doctor.output()}`,
              );
            });
          await new Promise((r) => setTimeout(r, 500));
          assert.equal(doctorRows(world.dataDir, name).length, 15, doctor.output());
          assert.deepEqual(
            recordedGaps(world.dataDir, name).map((g) => [g.topic, g.partition, g.kind, g.policy]),
            [[topic, 0, "recreated", "accept"]],
          );
          assert.match(doctor.output(), /accepted/);
        } finally {
          assert.equal((await doctor.stop()).code, 0, doctor.output());
        }
      }),
  );
});

Deno.test("consumer gaps - with CONSUMER_ON_GAP=rebuild a recreated topic rebuilds the doctor from the new log", async () => {
  await inWorld(async (world, topic) => {
    const name = await recreatedUnder(world, topic);
    const doctor = await startDoctor(world, name, { CONSUMER_ON_GAP: `doctor-${name}=rebuild` });
    try {
      await waitFor("the new log's 10 rows only", () => {
        const rows = doctorRows(world.dataDir, name);
        return rows.length === 10 && rows.every((r, i) => r.offset === i);
      }, 60_000);
      assert.deepEqual(
        recordedGaps(world.dataDir, name).map((
          g,
        ) => [g.kind, g.from_offset, g.to_offset, g.policy]),
        [["recreated", 5, 0, "rebuild"]],
      );
      assert.match(doctor.output(), /rebuilding from the topics' start/);
    } finally {
      assert.equal((await doctor.stop()).code, 0, doctor.output());
    }
  });
});

Deno.test("consumer gaps - a topic recreated and refilled while the doctor runs stops it, naming the topic", async () => {
  await inWorld(async (world, topic) => {
    const name = doctorName();
    await produce(world.kafka, topic, demands(5));
    const doctor = await startDoctor(world, name);
    try {
      await waitFor("5 rows", () => doctorRows(world.dataDir, name).length === 5, 60_000);
      await recreate(world.kafka, topic);
      await produce(world.kafka, topic, demands(10));
      const output = await expectLoudStop(world, name, 5, doctor);
      assert.match(output, new RegExp(`${topic}/0: the topic was deleted and created again`));
    } finally {
      await doctor.stop();
    }
  });
});

/** 5 applied, the doctor stopped, 10 more produced, the log truncated to offset 12. */
async function truncatedUnder(world: DemandsWorld, name: string, topic: string): Promise<void> {
  await fiveApplied(world, name, topic);
  await produce(world.kafka, topic, demands(10));
  await withAdmin(world.kafka, async (admin) => {
    await admin.fetchTopicMetadata({ topics: [topic] }); // KafkaJS needs its leaders first
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "12" }] });
  });
}

Deno.test("consumer gaps - records deleted below the stored position while the doctor is stopped", async (t) => {
  await t.step(
    "by default the doctor stops loudly, naming the missing offsets",
    () =>
      inWorld(async (world, topic) => {
        const name = doctorName();
        await truncatedUnder(world, name, topic);
        const output = await expectLoudStop(world, name, 5);
        assert.match(output, new RegExp(`${topic}/0: offsets 5–11 were deleted`));
      }),
  );

  await t.step(
    "with CONSUMER_ON_GAP=accept it goes on after the gap and records it",
    () =>
      inWorld(async (world, topic) => {
        const name = doctorName();
        await truncatedUnder(world, name, topic);
        const doctor = await startDoctor(world, name, { CONSUMER_ON_GAP: "accept" });
        try {
          await waitFor("8 rows", () => doctorRows(world.dataDir, name).length === 8, 60_000);
          assert.deepEqual(
            doctorRows(world.dataDir, name).map((r) => r.offset),
            [0, 1, 2, 3, 4, 12, 13, 14],
          );
          assert.deepEqual(recordedGaps(world.dataDir, name), [{
            topic,
            partition: 0,
            kind: "deleted",
            from_offset: 5,
            to_offset: 12,
            policy: "accept",
          }]);
        } finally {
          assert.equal((await doctor.stop()).code, 0, doctor.output());
        }
      }),
  );
});

Deno.test("consumer gaps - a processor (payments) whose input topic was recreated while it was stopped", async (t) => {
  const world = await ordersWorld();
  const topic = world.topic(ORDERS_CREATED);
  const env = { ...world.env, DATA_DIR: world.dataDir, CONSUMER_SESSION_TIMEOUT_MS: "6000" };
  const decided = async () =>
    [
      ...await readTopic(world, ORDERS_PAID),
      ...await readTopic(world, ORDERS_FAILED),
    ].map((m) => String(jsonOf(m).orderId)).sort();
  const orders = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({
      ...seedOrderMessage(`order-${from + i}`, 45),
      partition: 0,
    }));
  try {
    await produce(world.kafka, topic, orders(0, 3));
    const first = await launch("consumer:payments", { env });
    try {
      await waitFor("3 decided", async () => (await decided()).length === 3, 60_000);
    } finally {
      assert.equal((await first.stop()).code, 0, first.output());
    }
    await recreate(world.kafka, topic);
    await produce(world.kafka, topic, orders(10, 5));

    await t.step("by default it stops, naming the topic; nothing decided", async () => {
      const payments = await launch("consumer:payments", { env });
      const status = await endOf(payments);
      const output = payments.output();
      await payments.stop();
      assert.notEqual(status, null, `payments kept running:\n${output.slice(-3000)}`);
      assert.equal(status!.code, 1, output);
      assert.match(output, new RegExp(`${topic}/0: the topic was deleted and created again`));
      assert.doesNotMatch(output, /CONSUMER_ON_GAP=payments-service=rebuild/, "no rebuild offered");
      assert.equal((await decided()).length, 3);
    });

    await t.step(
      "with CONSUMER_ON_GAP=accept every order of the new topic is decided",
      async () => {
        const payments = await launch("consumer:payments", {
          env: { ...env, CONSUMER_ON_GAP: "accept" },
        });
        try {
          await waitFor("8 decided", async () => (await decided()).length === 8, 60_000);
          assert.deepEqual(
            await decided(),
            [
              "order-0",
              "order-1",
              "order-10",
              "order-11",
              "order-12",
              "order-13",
              "order-14",
              "order-2",
            ],
          );
        } finally {
          assert.equal((await payments.stop()).code, 0, payments.output());
        }
      },
    );
  } finally {
    await world.close();
  }
});

Deno.test("consumer gaps - records deleted past a view waiting to retry stop it when it resumes", async () => {
  const kafka = adminKafka();
  const topic = randomName("gap-paused");
  const dropTopics = await createTopics(kafka, [{ topic }, { topic: `${topic}.dlq` }]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-gaps-" });
  let fatal: Error | undefined;
  const runner = createRunner(
    sinkConsumer.create({ SINK_TOPIC: topic, SINK_GROUP: randomName("g"), SINK_DOWN_MS: "4000" }),
    {
      dataDir,
      mode: "process",
      kafka,
      initialRetryMs: 1_000,
      maxRetryMs: 1_000,
      onFatal: (error) => (fatal = error),
    },
  );
  try {
    await produce(
      kafka,
      topic,
      Array.from({ length: 10 }, (_, n) => ({ value: JSON.stringify({ n }) })),
    );
    await runner.start();
    await waitFor("retrying", () => runner.status().state === "retrying");
    await withAdmin(kafka, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "6" }] });
    });
    await waitFor("stopped on the gap", () => runner.status().state === "failed", 30_000);
    assert.match(
      runner.status().lastError ?? "",
      new RegExp(`${topic}/0: offsets 0–5 were deleted`),
    );
    await waitFor("onFatal", () => fatal !== undefined);
    assert.equal(runner.counters.processed, 0, "nothing after the gap applied");
  } finally {
    await runner.stop();
    await dropTopics();
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("consumer gaps - an accepted gap is shown on /health, /groups/:group and the console's group page", async () => {
  const fx = await monitorFixture("gap-show");
  const topic = await fx.createTopic("items", 1);
  await fx.createTopic("items.dlq", 1);
  const group = `${fx.prefix}sink`;
  const definition = sinkConsumer.create({ SINK_TOPIC: topic, SINK_GROUP: group });
  const items = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => ({ value: JSON.stringify({ n: from + i }) }));
  const statuses = new ConsumerStore();
  const { app, shutdown } = await createWorldApp(fx, { statuses, auth: testAuth() });
  const first = createRunner(definition, { dataDir: fx.dataDir, mode: "process", kafka: fx.kafka });
  let second: ConsumerRunner | undefined;
  try {
    await produce(fx.kafka, topic, items(0, 5));
    await first.start();
    await waitFor("5 applied", () => first.counters.processed === 5);
    await first.stop();
    await produce(fx.kafka, topic, items(5, 5));
    await withAdmin(fx.kafka, async (admin) => {
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: "8" }] });
    });
    second = createRunner(definition, {
      dataDir: fx.dataDir,
      mode: "process",
      kafka: fx.kafka,
      onGap: "accept",
    });
    await second.start();
    await waitFor("8 and 9 applied", () => second!.counters.processed === 2);
    const gaps = second.status().gaps;
    assert.equal(gaps?.total, 1);
    assert.deepEqual(
      gaps?.recent.map((g) => [g.topic, g.partition, g.kind, g.from, g.to, g.policy]),
      [[topic, 0, "deleted", 5, 8, "accept"]],
    );
    statuses.update(second.status());

    const health = await app.fetch(new Request("http://127.0.0.1:8000/health"));
    const report = await health.json();
    assert.deepEqual(report.consumers[0].gaps, gaps, "/health lists the gap");

    const monitor = fx.monitor();
    await monitor.start();
    let page = "";
    await waitFor("the group's page", async () => {
      const res = await app.fetch(new Request(`http://127.0.0.1:8000/groups/${group}`));
      page = await res.text();
      return res.status === 200;
    }, 30_000);
    assert.match(page, new RegExp(`data-gap="${topic}:0"`));
    assert.match(page, /records deleted/);

    const console = await app.fetch(
      new Request(`http://127.0.0.1:8000/console/groups/${group}`, { headers: basic("viewer") }),
    );
    assert.equal(console.status, 200);
    assert.match(await console.text(), new RegExp(`data-gap="${topic}:0"`));
  } finally {
    await second?.stop();
    await first.stop();
    shutdown();
    await fx.close();
  }
});
