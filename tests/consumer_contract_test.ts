/**
 * The contract every consumer module keeps, run against the real broker
 * for every consumer of the root list (freshet.ts), so a consumer added
 * tomorrow is covered the day it is added. For each topic it reads, the
 * topic's owner declares an example record (its contract's `example`);
 * then, under a random topic prefix, as the admin principal:
 *
 * 1. a value that is not JSON goes to `<topic>.dlq` with the kernel's
 *    headers, and the consumer's own tables do not change;
 * 2. a record delivered again to a new consumer group (Kafka sends the
 *    whole log again) is not applied again: the stored offsets decide;
 * 3. (a view) the state change and the partition's offset commit in one
 *    SQLite transaction: while the offset write is refused (a trigger in
 *    the consumer's database), nothing of the record is visible; once it
 *    is allowed, the record is applied once. A processor commits its
 *    offsets with its events in a Kafka transaction instead (by design:
 *    shared/consumer/define.ts); tests/orders_payments_test.ts and the
 *    payments fault test check that one.
 *
 * The monitor has its own loop (it stores counts, not messages) and is not
 * a consumer module of the runner; every other consumer must be.
 */
import assert from "node:assert/strict";
import type { Kafka } from "kafkajs";
import { DatabaseSync } from "node:sqlite";
import { consumerEntries, SERVICES } from "../freshet.ts";
import { DLQ_HEADERS } from "../shared/consumer/dead_letter.ts";
import type { ConsumerDefinition, ConsumerModule } from "../shared/consumer/define.ts";
import { createRunner, KERNEL_MIGRATIONS } from "../shared/consumer/main.ts";
import { offsetStore } from "../shared/consumer/offsets.ts";
import type { ConsumerRunner } from "../shared/consumer/runner.ts";
import { type ReadMessage, readRange } from "../shared/kafka/topic_reader.ts";
import { contractsOf } from "../shared/service/registry.ts";
import { openDatabase } from "../shared/sqlite/sqlite.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";

const CONTRACTS = new Map(contractsOf(SERVICES).map((c) => [c.topic, c]));
const INVALID = "not json{";

/** The kernel's tables (offsets, outbox, …): every consumer database has them. */
const KERNEL_TABLES = (() => {
  const db = openDatabase(":memory:", { migrations: KERNEL_MIGRATIONS });
  try {
    return new Set(tableNames(db));
  } finally {
    db.close();
  }
})();

function tableNames(db: DatabaseSync): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as {
    name: string;
  }[]).map((r) => r.name).filter((n) => !n.startsWith("sqlite_"));
}

/** The consumer's own tables, every row, in a stable order. */
function ownState(path: string): Record<string, string[]> {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    const out: Record<string, string[]> = {};
    for (const table of tableNames(db).filter((n) => !KERNEL_TABLES.has(n)).sort()) {
      out[table] = db.prepare(`SELECT * FROM "${table}"`).all().map((r) => JSON.stringify(r))
        .sort();
    }
    return out;
  } finally {
    db.close();
  }
}

/** The one dead letter of `topic`'s record at `offset`, once the outbox has sent it. */
async function deadLetter(kafka: Kafka, topic: string, offset: number): Promise<ReadMessage> {
  let letters: ReadMessage[] = [];
  await waitFor(`${topic}.dlq holding the record at offset ${offset}`, async () => {
    const { messages } = await readRange(kafka, {
      groupId: randomName("contract-dlq"),
      topics: [`${topic}.dlq`],
      from: "earliest",
    });
    letters = messages.filter((m) => m.headers[DLQ_HEADERS.offset] === String(offset));
    return letters.length > 0;
  });
  assert.equal(letters.length, 1, `one dead letter for ${topic}:${offset}`);
  return letters[0];
}

const handled = (runner: ConsumerRunner) =>
  runner.counters.processed + runner.counters.deadLettered;

/** Every entry of the registry whose module runs on the kernel's runner. */
const RUNNER_CONSUMERS = consumerEntries({}).filter((e) => "create" in e.module);

Deno.test("consumer contract - every consumer of the root list runs on the runner, but the monitor", () => {
  const own = consumerEntries({}).filter((e) => !("create" in e.module)).map((e) => e.name);
  assert.deepEqual(own, ["monitor"]);
  assert.ok(RUNNER_CONSUMERS.length >= 4, RUNNER_CONSUMERS.map((e) => e.name).join(", "));
});

Deno.test("consumer contract - under a topic prefix every consumer's group is its own", () => {
  // A group shared by two deployments hands one's partitions to the other's members
  // (a doctor under a test's prefix was given the dev server's demands topics).
  for (const entry of RUNNER_CONSUMERS) {
    const plain = (entry.module as ConsumerModule).create({}).groupId;
    const prefixed = (entry.module as ConsumerModule).create({ FRESHET_TOPIC_PREFIX: "staging." })
      .groupId;
    assert.equal(prefixed, `${plain}-staging`, entry.name);
  }
});

for (const entry of RUNNER_CONSUMERS) {
  Deno.test(`consumer contract - ${entry.name}: dead letters, no second apply, offsets with the state`, async (t) => {
    // Not "contract-…": the records' ids are contract-<n>, and a prefix such as
    // contract-37fb… made a row naming its topic look like record 3.
    const prefix = `${randomName("cc")}.`;
    const definition: ConsumerDefinition = (entry.module as ConsumerModule).create({
      FRESHET_TOPIC_PREFIX: prefix,
    });
    const topics = Object.keys(definition.topics);
    const examples = topics.map((topic) => {
      const contract = CONTRACTS.get(topic.slice(prefix.length));
      assert.ok(
        contract?.example,
        `${
          topic.slice(prefix.length)
        }, read by ${entry.name}: its owner's module declares an example`,
      );
      return contract.example;
    });
    const send = (kafka: Kafka, n: number, only = topics) =>
      Promise.all(only.map((topic) => {
        const example = examples[topics.indexOf(topic)](n);
        return produce(kafka, topic, [{
          key: example.key,
          value: JSON.stringify(example.value),
          headers: { ce_id: `contract-${n}` },
        }]);
      }));

    const kafka = adminKafka();
    // Every topic of the contracts, under the prefix: what the consumer reads and emits.
    const dropTopics = await createTopics(
      kafka,
      [...CONTRACTS.keys()].map((topic) => ({ topic: `${prefix}${topic}` })),
    );
    const dataDir = await Deno.makeTempDir({ prefix: "freshet-contract-" });
    const dbPath = `${dataDir}/${definition.name}/${definition.name}.db`;
    const runners: ConsumerRunner[] = [];
    const run = async (def: ConsumerDefinition) => {
      const runner = createRunner(def, { dataDir, mode: "process", kafka });
      runners.push(runner);
      await runner.start();
      await waitFor(`${def.name} running`, () => runner.status().state === "running");
      return runner;
    };
    try {
      let runner = await run(definition);

      await t.step(
        "a value that is not JSON is dead-lettered, and nothing of the consumer changes",
        async () => {
          const before = ownState(dbPath);
          await Promise.all(
            topics.map((topic) =>
              produce(kafka, topic, [{ key: "contract-invalid", value: INVALID }])
            ),
          );
          await waitFor(
            "every invalid value dead-lettered",
            () => runner.counters.deadLettered === topics.length,
          );
          for (const topic of topics) {
            // A view's dead letters go through its outbox, sent just after the commit.
            const letter = await deadLetter(kafka, topic, 0);
            assert.equal(new TextDecoder().decode(letter.value!), INVALID);
            assert.equal(letter.headers[DLQ_HEADERS.topic], topic);
            assert.equal(letter.headers[DLQ_HEADERS.offset], "0");
            assert.equal(letter.headers[DLQ_HEADERS.code], "INVALID_JSON");
          }
          assert.deepEqual(ownState(dbPath), before);
        },
      );

      await t.step("a record delivered again to a new group is not applied again", async () => {
        await send(kafka, 1);
        await waitFor("the examples handled", () => handled(runner) === 2 * topics.length);
        const applied = ownState(dbPath);
        await runner.stop();
        // A new group: Kafka sends the whole log again, from offset 0.
        runner = await run({ ...definition, groupId: randomName(`${definition.groupId}-again`) });
        const [first] = topics;
        await send(kafka, 2, [first]);
        await waitFor("the new example handled", () => handled(runner) >= 1);
        await waitFor(
          `${first} caught up`,
          () => (runner.status().partitionLag[`${first}:0`] ?? 1) === 0,
        );
        assert.equal(handled(runner), 1, "only the new record: the others were handled before");
        const now = ownState(dbPath);
        for (const table of Object.keys(applied)) {
          for (const row of applied[table].filter((r) => r.includes("contract-1"))) {
            assert.ok(now[table].includes(row), `${table} keeps ${row}`);
          }
        }
      });

      if ((definition.kind ?? "view") === "view") {
        await t.step(
          "the state change and the offset commit in one SQLite transaction",
          async () => {
            const [first] = topics;
            const db = new DatabaseSync(dbPath);
            try {
              const store = offsetStore(db);
              const next = store.get(first, 0)!;
              db.exec(`CREATE TRIGGER contract_refuse_offset
              BEFORE UPDATE ON consumer_offsets WHEN NEW.next_offset > ${next}
              BEGIN SELECT RAISE(ABORT, 'contract: offset write refused'); END`);
              const before = handled(runner);
              await send(kafka, 3, [first]);
              await waitFor(
                "the offset write refused",
                () => /contract: offset write refused/.test(runner.status().lastError ?? ""),
              );
              assert.ok(
                !JSON.stringify(ownState(dbPath)).includes("contract-3"),
                "nothing of the record while its offset is refused",
              );
              assert.equal(store.get(first, 0), next);
              db.exec("DROP TRIGGER contract_refuse_offset");
              await waitFor("the offset stored", () => store.get(first, 0) === next + 1);
              assert.equal(handled(runner), before + 1, "applied once");
              if (!JSON.stringify(ownState(dbPath)).includes("contract-3")) {
                // Not in the state: then the service's own rules dead-lettered it, once.
                await deadLetter(kafka, first, next);
              }
            } finally {
              db.exec("DROP TRIGGER IF EXISTS contract_refuse_offset");
              db.close();
            }
          },
        );
      }
    } finally {
      for (const runner of runners) await runner.stop();
      await dropTopics();
      await Deno.remove(dataDir, { recursive: true });
    }
  });
}
