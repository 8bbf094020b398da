/**
 * The pipelined runner against the real broker: a view's chunks applied by
 * its applier Worker while the runner fetches on, with everything the
 * runner guarantees on one thread: each message applied once, a failing
 * chunk taken over by the runner's thread (retries, dead letters) from the
 * stored offset, a value that does not decode dead-lettered in its chunk,
 * and a stop mid-load that loses and doubles nothing.
 */
import assert from "node:assert/strict";
import { createRunner } from "../shared/consumer/main.ts";
import { sinkConsumer, sinkMessage } from "./fixtures/sink_consumer.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { deadLettersOf, sinkRows } from "./sink_helpers.ts";

const SINK_URL = new URL("./fixtures/sink_consumer.ts", import.meta.url).href;

async function setup(env: Record<string, string> = {}, partitions = 3) {
  const kafka = adminKafka();
  const topic = randomName("pipelined");
  const dropTopics = await createTopics(kafka, [
    { topic, numPartitions: partitions },
    { topic: `${topic}.dlq` },
  ]);
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-pipelined-" });
  const sinkEnv = { SINK_TOPIC: topic, SINK_GROUP: randomName("g"), ...env };
  const runner = (
    options: { initialRetryMs?: number; txnMessages?: number; dataDir?: string } = {},
  ) =>
    createRunner(sinkConsumer.create(sinkEnv), {
      dataDir: options.dataDir ?? dataDir,
      mode: "process",
      kafka,
      initialRetryMs: options.initialRetryMs ?? 10,
      maxRetryMs: 40,
      maxMessagesPerTransaction: options.txnMessages,
      pipelined: { moduleUrl: SINK_URL, env: sinkEnv },
    });
  const rows = (dir = dataDir) => sinkRows(dir);
  const deadLetters = () => deadLettersOf(kafka, topic);
  const cleanup = async () => {
    await dropTopics();
    await Deno.remove(dataDir, { recursive: true });
  };
  return { kafka, topic, runner, rows, deadLetters, cleanup };
}

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes ?? undefined);
const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
const messages = (from: number, count: number) => range(from, count).map(sinkMessage);

Deno.test("pipelined runner - 20,000 messages on 3 partitions: each applied once by the applier, none again after a restart", async () => {
  const fx = await setup();
  try {
    await produce(fx.kafka, fx.topic, messages(0, 20_000));
    const first = fx.runner();
    try {
      await first.start();
      await waitFor("20,000 applied", () => first.counters.processed === 20_000, 120_000);
      assert.ok(first.pipelined, "the backlog started the applier");
      assert.ok(first.applierChunks >= 3, `chunks by the applier: ${first.applierChunks}`);
    } finally {
      await first.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 20_000));
    await produce(fx.kafka, fx.topic, messages(20_000, 1_000));
    const second = fx.runner();
    try {
      await second.start();
      await waitFor("1,000 more", () => second.counters.processed === 1_000, 60_000);
    } finally {
      await second.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 21_000), "the first 20,000 were not applied again");
  } finally {
    await fx.cleanup();
  }
});

Deno.test("pipelined runner - a chunk failing on the applier is retried on the runner's thread from the stored offset, then the applier goes on", async () => {
  // Offsets of one partition: the applier's chunk fails once there, and the runner's thread
  // (its own copy of the handler) fails once too, then succeeds.
  const fx = await setup({ SINK_FAIL_OFFSETS: "1500,6000" }, 1);
  try {
    await produce(fx.kafka, fx.topic, messages(0, 10_000));
    const runner = fx.runner({ txnMessages: 500 });
    try {
      await runner.start();
      await waitFor("10,000 applied", () => runner.counters.processed === 10_000, 120_000);
      assert.ok(runner.counters.retries >= 2, `retries: ${runner.counters.retries}`);
      assert.equal(runner.counters.deadLettered, 0);
      assert.ok(runner.pipelined, "the applier still works");
      // 20 chunks of 500: the ones after each failure's slow stretch went to the applier again.
      assert.ok(runner.applierChunks >= 6, `chunks by the applier: ${runner.applierChunks}`);
    } finally {
      await runner.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 10_000));
  } finally {
    await fx.cleanup();
  }
});

Deno.test("pipelined runner - a poison message is dead-lettered on the runner's thread, the rest applied once", async () => {
  const fx = await setup({ SINK_REJECT_N: "4321" }, 2);
  try {
    await produce(fx.kafka, fx.topic, messages(0, 8_000));
    const runner = fx.runner();
    try {
      await runner.start();
      await waitFor(
        "7,999 applied and 1 dead-lettered",
        () => runner.counters.processed === 7_999 && runner.counters.deadLettered === 1,
        120_000,
      );
    } finally {
      await runner.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 8_000).filter((n) => n !== 4321));
    const dead = await fx.deadLetters();
    assert.equal(dead.length, 1);
    assert.equal(JSON.parse(text(dead[0].value)).n, 4321);
  } finally {
    await fx.cleanup();
  }
});

Deno.test("pipelined runner - a value that does not decode is dead-lettered by the applier in its own chunk", async () => {
  const fx = await setup({}, 1);
  try {
    await produce(fx.kafka, fx.topic, [
      ...messages(0, 3_000),
      { key: "bad", value: "{not json" },
      ...messages(3_000, 3_000),
    ]);
    const runner = fx.runner();
    try {
      await runner.start();
      await waitFor(
        "6,000 applied and 1 dead-lettered",
        () => runner.counters.processed === 6_000 && runner.counters.deadLettered === 1,
        120_000,
      );
      assert.equal(runner.counters.retries, 0, "no chunk failed: the applier dead-lettered it");
      assert.ok(runner.pipelined);
    } finally {
      await runner.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 6_000));
    const dead = await fx.deadLetters();
    assert.equal(dead.length, 1);
    assert.equal(text(dead[0].value), "{not json");
  } finally {
    await fx.cleanup();
  }
});

Deno.test("pipelined runner - stopped mid-load with chunks in flight, a second runner ends with each message once", async () => {
  const fx = await setup({ SINK_SLOW_US: "100" });
  try {
    await produce(fx.kafka, fx.topic, messages(0, 20_000));
    const first = fx.runner({ txnMessages: 500 });
    await first.start();
    try {
      await waitFor("some applied", () => first.counters.processed > 2_000, 120_000);
    } finally {
      await first.stop();
    }
    const applied = fx.rows().length;
    assert.ok(applied < 20_000, `stopped mid-load (${applied})`);
    assert.equal(new Set(fx.rows()).size, applied, "no duplicates after the stop");
    const second = fx.runner();
    try {
      await second.start();
      await waitFor("the rest", () => fx.rows().length >= 20_000, 120_000);
      // Nothing more arrives: the second runner applied exactly the rest.
      await waitFor(
        "the second runner settled",
        () => second.counters.processed >= 20_000 - applied,
        30_000,
      );
    } finally {
      await second.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 20_000));
  } finally {
    await fx.cleanup();
  }
});

Deno.test("pipelined runner - a trickle of messages is applied on the runner's thread: no applier is started", async () => {
  const fx = await setup({}, 1);
  try {
    const runner = fx.runner();
    try {
      await runner.start();
      for (let i = 0; i < 5; i++) {
        await produce(fx.kafka, fx.topic, messages(i * 20, 20));
        await waitFor(`${(i + 1) * 20} applied`, () => runner.counters.processed === (i + 1) * 20);
      }
      assert.equal(runner.pipelined, false);
      assert.equal(runner.applierChunks, 0);
    } finally {
      await runner.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 100));
  } finally {
    await fx.cleanup();
  }
});

Deno.test("pipelined runner - a second instance joining mid-load takes partitions with chunks in flight: no row twice in either database, none missing", async () => {
  const fx = await setup({ SINK_SLOW_US: "400" }, 6);
  const secondDir = await Deno.makeTempDir({ prefix: "freshet-pipelined-b-" });
  try {
    await produce(fx.kafka, fx.topic, messages(0, 30_000));
    const a = fx.runner({ txnMessages: 500 });
    const b = fx.runner({ txnMessages: 500, dataDir: secondDir });
    try {
      await a.start();
      await waitFor("the first instance pipelining", () => a.applierChunks > 4, 120_000);
      await b.start();
      await waitFor(
        "every message applied by one of them",
        () => new Set([...fx.rows(), ...fx.rows(secondDir)]).size >= 30_000,
        180_000,
      );
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    const first = fx.rows();
    const second = fx.rows(secondDir);
    assert.equal(new Set(first).size, first.length, "no duplicate in the first database");
    assert.equal(new Set(second).size, second.length, "no duplicate in the second database");
    assert.ok(second.length > 0, "the second instance took partitions");
    assert.deepEqual([...new Set([...first, ...second])].sort((x, y) => x - y), range(0, 30_000));
  } finally {
    await fx.cleanup();
    await Deno.remove(secondDir, { recursive: true });
  }
});

Deno.test("pipelined runner - an applier that crashes mid-load: the view goes on on its own thread, each message once, no chunk posted to the dead Worker", async () => {
  const fx = await setup({ SINK_APPLIER_CRASH_N: "4000" });
  try {
    await produce(fx.kafka, fx.topic, messages(0, 20_000));
    const runner = fx.runner({ txnMessages: 500 });
    try {
      await runner.start();
      // The rows, not the counter: a chunk the applier committed just before it died has no
      // reply, and the runner's thread finds it stored (it is not counted, nor applied again).
      await waitFor("20,000 rows", () => fx.rows().length >= 20_000, 120_000);
      assert.ok(runner.counters.processed <= 20_000, `counted: ${runner.counters.processed}`);
      // The crash is a timer after the chunk holding message 4,000: an applier that took
      // every chunk before its next turn stored all 20,000 rows before it died.
      await waitFor("the dead applier no longer counted as pipelining", () => !runner.pipelined);
      assert.ok(runner.applierChunks >= 1, `chunks by the applier: ${runner.applierChunks}`);
      // Each partition's lane fails once, when the Worker dies; a chunk posted to the dead
      // Worker afterwards would fail its lane again (40 chunks of 500 in all).
      assert.ok(runner.applierFailures <= 3, `lanes failed: ${runner.applierFailures}`);
      assert.equal(runner.counters.deadLettered, 0);
    } finally {
      await runner.stop();
    }
    assert.deepEqual(fx.rows(), range(0, 20_000));
  } finally {
    await fx.cleanup();
  }
});
