/**
 * `consumer:balances --rebuild` against the real broker: the rebuilt table
 * equals the live one (overwrites, tombstones, cliente_id ≠ key), on a
 * fresh database it stores the offsets so the consumer does not replay,
 * and it stays exact while the consumer Worker keeps consuming, whether
 * the swap catches up without the lock or has to hold it.
 */
import assert from "node:assert/strict";
import type { Kafka } from "kafkajs";
import { balancesConsumer } from "../services/balances/consumer.ts";
import { BALANCES_SERVICE } from "../services/balances/balance.ts";
import {
  allBalances,
  BALANCES_MIGRATIONS,
  type ContasRecord,
  readStats,
} from "../services/balances/balances_db.ts";
import type { BalanceRow } from "../services/balances/balance_row.ts";
import { rebuildBalances } from "../services/balances/rebuild.ts";
import { createRunner } from "../shared/consumer/main.ts";
import { OFFSETS_MIGRATION, offsetStore } from "../shared/consumer/offsets.ts";
import { OUTBOX_MIGRATION } from "../shared/outbox/outbox.ts";
import {
  type ConsumerEntry,
  consumerRunFlags,
  startConsumerWorker,
} from "../shared/consumer/workers.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { readRange } from "../shared/kafka/topic_reader.ts";
import { balanceJson, balancesFixture } from "./balances_helpers.ts";
import { produce, randomName, waitFor } from "./helpers.ts";

const entry: ConsumerEntry = {
  name: BALANCES_SERVICE,
  task: "balances",
  principal: "balances",
  url: new URL("../services/balances/consumer.ts", import.meta.url),
  module: balancesConsumer,
};

const balancesKafka = () => createKafka(loadKafkaConfig("balances"), { clientSuffix: "test" });
/** A connection of its own to the service's database (created, with its migrations, if new). */
function dbOf(dataDir: string) {
  Deno.mkdirSync(`${dataDir}/${BALANCES_SERVICE}`, { recursive: true });
  return openDatabase(`${dataDir}/${BALANCES_SERVICE}/${BALANCES_SERVICE}.db`, {
    migrations: [...BALANCES_MIGRATIONS, OFFSETS_MIGRATION, OUTBOX_MIGRATION],
  });
}

/** Records over `keys` accounts: every fifth one a tombstone, every seventh a cliente_id ≠ key. */
function records(from: number, n: number, keys: number) {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const id = `acct-${k % keys}`;
    if (k % 5 === 4) return { key: id, value: null };
    return { key: id, value: balanceJson(k % 7 === 0 ? "other" : id, k / 4, k % 3 ? k : "ts") };
  });
}

/** The table a consumer must end with: the log folded in order, last writer wins per key. */
async function expectedBalances(kafka: Kafka, topic: string): Promise<BalanceRow[]> {
  const { messages, complete } = await readRange(kafka, {
    groupId: randomName("expected"),
    topics: [topic],
    from: "earliest",
  });
  assert.ok(complete);
  const rows = new Map<string, BalanceRow>();
  for (const m of messages) {
    if (m.key === null) continue;
    if (m.value === null) {
      rows.delete(m.key);
      continue;
    }
    const value = JSON.parse(new TextDecoder().decode(m.value)) as NonNullable<
      ContasRecord["value"]
    >;
    rows.set(m.key, {
      cliente_id: m.key,
      saldo: value.saldo,
      timestamp: value.timestamp,
      partition: m.partition,
      offset: m.offset,
      kafkaTimestamp: m.timestamp,
    });
  }
  return [...rows.values()].sort((a, b) => (a.cliente_id < b.cliente_id ? -1 : 1));
}

const storedTotal = (dataDir: string) => {
  const db = dbOf(dataDir);
  try {
    return offsetStore(db).all().reduce((n, o) => n + o.next_offset, 0);
  } finally {
    db.close();
  }
};

Deno.test("balances rebuild - the rebuilt table equals the live one after overwrites and tombstones", async () => {
  const fx = await balancesFixture();
  const runner = createRunner(balancesConsumer.create(fx.env), {
    dataDir: fx.dataDir,
    mode: "process",
  });
  fx.defer(() => runner.stop());
  const db = dbOf(fx.dataDir);
  fx.defer(() => db.close());
  try {
    await produce(fx.kafka, fx.topic, records(0, 300, 40));
    await runner.start();
    await waitFor("300 processed", () => runner.counters.processed === 300);
    const live = allBalances(db);
    const offsets = offsetStore(db).all();
    const stats = readStats(db);
    assert.deepEqual(live, await expectedBalances(fx.kafka, fx.topic));
    // Damage the live table: the rebuild must not start from it.
    db.exec("UPDATE balances SET saldo = -1 WHERE account_id = 'acct-1'");
    db.exec("INSERT INTO balances VALUES ('ghost', 1, 't', 0, 0, 0)");

    const result = await rebuildBalances({ db, kafka: balancesKafka(), topic: fx.topic });

    assert.deepEqual(allBalances(db), live);
    assert.deepEqual(offsetStore(db).all(), offsets, "the offsets were the live consumer's");
    assert.equal(result.records, 300);
    assert.equal(result.tombstones, 60);
    assert.equal(result.accounts, live.length);
    assert.equal(result.swapAttempts, 1);
    assert.equal(readStats(db).upserts, stats.upserts, "the consumer's counters are kept");
    assert.equal(readStats(db).rebuilds, 1);
    assert.equal(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'balances_next'")
        .get()!.n,
      0,
    );
    assert.equal(
      db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'balances_recent'")
        .get()!.n,
      1,
      "the index is back",
    );

    // The live consumer goes on writing the swapped-in table.
    await produce(fx.kafka, fx.topic, [{ key: "acct-1", value: balanceJson("acct-1", 4242) }]);
    await waitFor("301 processed", () => runner.counters.processed === 301);
    assert.equal(allBalances(db).find((r) => r.cliente_id === "acct-1")?.saldo, 4242);
  } finally {
    await fx.cleanup();
  }
});

Deno.test("balances rebuild - on a fresh database it stores the offsets, so the consumer does not replay", async () => {
  const fx = await balancesFixture();
  try {
    await produce(fx.kafka, fx.topic, records(0, 50, 12));
    const db = dbOf(fx.dataDir);
    const result = await rebuildBalances({ db, kafka: balancesKafka(), topic: fx.topic });
    assert.deepEqual(allBalances(db), await expectedBalances(fx.kafka, fx.topic));
    assert.equal(Object.values(result.offsets).reduce((a, b) => a + b, 0), 50);
    db.close();

    const runner = createRunner(balancesConsumer.create(fx.env), {
      dataDir: fx.dataDir,
      mode: "process",
    });
    fx.defer(() => runner.stop());
    await runner.start();
    await produce(fx.kafka, fx.topic, [{ key: "new", value: balanceJson("new", 1) }]);
    await waitFor("the new record", () => runner.counters.processed === 1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    assert.equal(runner.counters.processed, 1, "nothing replayed");
  } finally {
    await fx.cleanup();
  }
});

Deno.test("balances rebuild - while the consumer Worker consumes, the swap catches up with it", async (t) => {
  const fx = await balancesFixture();
  const brokers = loadKafkaConfig("balances").brokers;
  const worker = startConsumerWorker(entry, { dataDir: fx.dataDir, brokers }, fx.env);
  fx.defer(() => worker.stop());
  let sent = 0;
  const send = async (n: number) => {
    await produce(fx.kafka, fx.topic, records(sent, n, 50));
    sent += n;
  };
  const settled = async () => {
    await waitFor(`the Worker stored ${sent} offsets`, () => storedTotal(fx.dataDir) === sent);
    const db = dbOf(fx.dataDir);
    try {
      assert.deepEqual(allBalances(db), await expectedBalances(fx.kafka, fx.topic));
      const stats = readStats(db);
      assert.equal(stats.upserts + stats.tombstones, sent, "every record applied exactly once");
    } finally {
      db.close();
    }
  };
  try {
    await worker.started;
    await send(500);
    await waitFor("the Worker caught up", () => storedTotal(fx.dataDir) === sent);

    await t.step("records keep coming during the rebuild", async () => {
      await send(5_000);
      await waitFor("the Worker caught up", () => storedTotal(fx.dataDir) === sent);
      let producing = true;
      const before = sent;
      const producer = (async () => {
        while (producing) {
          await send(40);
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      })();
      const db = dbOf(fx.dataDir);
      try {
        const result = await rebuildBalances({ db, kafka: balancesKafka(), topic: fx.topic });
        assert.ok(result.records > before, "the rebuild caught up with records sent meanwhile");
      } finally {
        producing = false;
        await producer;
        db.close();
      }
      await settled();
    });

    await t.step(
      "the consumer moves after the catch-up: the swap retries without the lock",
      async () => {
        const db = dbOf(fx.dataDir);
        try {
          const result = await rebuildBalances({
            db,
            kafka: balancesKafka(),
            topic: fx.topic,
            optimisticTries: 1,
            async afterCatchUp(attempt) {
              if (attempt > 0) return;
              await send(30);
              await waitFor("the Worker moved", () => storedTotal(fx.dataDir) === sent);
            },
          });
          assert.equal(result.swapAttempts, 2);
          assert.equal(result.lockedCatchUp, false);
        } finally {
          db.close();
        }
        await settled();
      },
    );

    await t.step("it keeps moving: the last catch-up holds the lock", async () => {
      const db = dbOf(fx.dataDir);
      try {
        const result = await rebuildBalances({
          db,
          kafka: balancesKafka(),
          topic: fx.topic,
          optimisticTries: 0,
          async afterCatchUp() {
            await send(30);
            await waitFor("the Worker moved", () => storedTotal(fx.dataDir) === sent);
          },
        });
        assert.equal(result.lockedCatchUp, true);
        assert.equal(result.records, sent);
      } finally {
        db.close();
      }
      await settled();
    });
  } finally {
    await fx.cleanup();
  }
});

Deno.test("balances rebuild - the task's process rebuilds with the consumer's permissions", async () => {
  const fx = await balancesFixture();
  try {
    await produce(fx.kafka, fx.topic, records(0, 40, 9));
    const brokers = loadKafkaConfig("balances").brokers;
    const output = await new Deno.Command("deno", {
      args: [
        "run",
        ...consumerRunFlags(entry, { dataDir: fx.dataDir, brokers }),
        entry.url.pathname,
        "--rebuild",
      ],
      env: { DATA_DIR: fx.dataDir, ...fx.env, LOG_LEVEL: "warn" },
      stdin: "null",
    }).output();
    const stdout = new TextDecoder().decode(output.stdout);
    assert.equal(output.code, 0, new TextDecoder().decode(output.stderr));
    assert.match(stdout, /rebuild: done in .* from 40 records/);
    const db = dbOf(fx.dataDir);
    assert.deepEqual(allBalances(db), await expectedBalances(fx.kafka, fx.topic));
    db.close();
  } finally {
    await fx.cleanup();
  }
});
