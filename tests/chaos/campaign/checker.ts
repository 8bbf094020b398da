/**
 * The campaign's checker: after the faults stopped and the system drained,
 * reads the outcome from the databases and the topics (read_committed) and
 * counts what was lost, duplicated or stuck.
 *
 * - sink (a view with no unique key, so a duplicate would show): every
 *   acknowledged item applied exactly once, unless a gap the campaign made
 *   on purpose (records deleted, the topic recreated) and the sink recorded
 *   covers it; a missing item not covered is lost;
 * - doctor: every acknowledged demand in its database;
 * - orders and payments: every order created has its `orders.created`
 *   sent exactly once, exactly one committed decision, one charge across
 *   every payments instance, and its final status in the orders database;
 * - balances: each account's balance is the last one acknowledged;
 * - stuck: every consumer group committed up to the end of every partition
 *   (transaction markers included), no outbox row unsent, every consumer
 *   process alive, no gap recorded that the campaign did not make.
 */
import { DatabaseSync } from "node:sqlite";
import type { Kafka } from "kafkajs";
import { withAdmin } from "../../../shared/kafka/client.ts";
import { readRange } from "../../../shared/kafka/topic_reader.ts";
import type { AckedItem, Deletion, LoadRecord } from "./load.ts";

/** A gap a consumer recorded. */
export interface RecordedGap {
  consumer: string;
  topic: string;
  partition: number;
  kind: string;
  from: number;
  to: number;
  oldTopicId: string | null;
  newTopicId: string | null;
}

/** What the checker found. */
export interface CheckResult {
  lost: number;
  duplicated: number;
  stuck: number;
  /** One line per problem. */
  problems: string[];
  /** Items the sink missed that a deliberate gap covers (reported, not skipped). */
  coveredByGaps: number;
}

/**
 * Whether `gap` (recorded by the sink) covers `item`: records deleted from
 * under it (`deleted`), or, for a topic deleted and created again
 * (`recreated`), the old log's rest and the new log's start the sink went
 * on after — which holds items only if the campaign deleted them before
 * the sink saw the new log (`deletions`): a sink that skipped records the
 * new log still had lost them.
 */
export function gapCovers(gap: RecordedGap, item: AckedItem, deletions: Deletion[]): boolean {
  if (gap.partition !== item.partition) return false;
  if (gap.kind === "deleted") {
    return gap.newTopicId === item.topicId && gap.from <= item.offset && item.offset < gap.to;
  }
  if (gap.kind === "recreated") {
    if (gap.oldTopicId === item.topicId) return gap.from <= item.offset;
    return gap.newTopicId === item.topicId && item.offset < gap.to &&
      deletions.some((d) =>
        d.topicId === item.topicId && d.partition === item.partition && item.offset < d.before
      );
  }
  return false;
}

/** Rows of `sql` in a consumer's database (none when it does not exist yet). */
function rows(dataDir: string, name: string, sql: string): Record<string, unknown>[] {
  try {
    const db = new DatabaseSync(`${dataDir}/${name}/${name}.db`, { readOnly: true });
    try {
      return db.prepare(sql).all().map((r) => ({ ...r }));
    } finally {
      db.close();
    }
  } catch {
    return [];
  }
}

/** The gaps every consumer recorded. */
export function recordedGaps(dataDir: string, consumers: string[]): RecordedGap[] {
  return consumers.flatMap((consumer) =>
    rows(
      dataDir,
      consumer,
      "SELECT topic, partition, kind, from_offset, to_offset, old_topic_id, new_topic_id FROM consumer_gaps",
    ).map((r) => ({
      consumer,
      topic: String(r.topic),
      partition: Number(r.partition),
      kind: String(r.kind),
      from: Number(r.from_offset),
      to: Number(r.to_offset),
      oldTopicId: r.old_topic_id === null ? null : String(r.old_topic_id),
      newTopicId: r.new_topic_id === null ? null : String(r.new_topic_id),
    }))
  );
}

/** What the checker needs. */
export interface CheckOptions {
  kafka: Kafka;
  dataDir: string;
  load: LoadRecord;
  itemsTopic: string;
  /** Consumer folders (names) to read gaps from. */
  consumers: string[];
  payments: string[];
  /** Consumer groups that must have committed to the end. */
  groups: string[];
  /** Names of consumer processes that are not running. */
  dead: string[];
}

/** Reads everything and counts. */
export async function check(options: CheckOptions): Promise<CheckResult> {
  const { dataDir, load } = options;
  const problems: string[] = [];
  let lost = 0;
  let duplicated = 0;
  let stuck = 0;
  let coveredByGaps = 0;
  const gaps = recordedGaps(dataDir, options.consumers);

  // Sink: every acked item once, or covered by a deliberate gap.
  const applied = new Map<number, number>();
  for (const r of rows(dataDir, "sink", "SELECT n FROM items")) {
    applied.set(Number(r.n), (applied.get(Number(r.n)) ?? 0) + 1);
  }
  const sinkGaps = gaps.filter((g) => g.consumer === "sink" && g.topic === options.itemsTopic);
  for (const item of load.items) {
    const times = applied.get(item.n) ?? 0;
    if (times > 1) {
      duplicated += times - 1;
      problems.push(`item ${item.n} applied ${times} times`);
    } else if (times === 0) {
      if (sinkGaps.some((g) => gapCovers(g, item, load.deletions))) coveredByGaps++;
      else {
        lost++;
        problems.push(
          `item ${item.n} (${
            item.topicId.slice(0, 8)
          } ${item.partition}/${item.offset}) never applied`,
        );
      }
    }
  }
  for (const [n, times] of applied) {
    if (times > 1 && !load.items.some((i) => i.n === n)) {
      duplicated += times - 1;
      problems.push(`item ${n} (outcome unknown) applied ${times} times`);
    }
  }

  // Doctor: every acked demand.
  const demands = new Set(
    rows(dataDir, "doctor-campaign", "SELECT id FROM demands").map((r) => String(r.id)),
  );
  for (const id of load.demands) {
    if (!demands.has(id)) {
      lost++;
      problems.push(`demand ${id} not in the doctor's database`);
    }
  }

  // Orders and payments.
  const orders = new Map(
    rows(dataDir, "orders-service", "SELECT id, status FROM orders").map((r) => [
      String(r.id),
      String(r.status),
    ]),
  );
  const read = async (topic: string) =>
    (await readRange(options.kafka, {
      groupId: `checker-${crypto.randomUUID()}`,
      topics: [topic],
      from: "earliest",
      timeoutMs: 60_000,
    })).messages;
  const created = new Map<string, number>();
  for (const m of await read("orders.created")) {
    const id = m.key ?? "";
    created.set(id, (created.get(id) ?? 0) + 1);
  }
  const decisions = new Map<string, number>();
  for (const m of [...await read("orders.paid"), ...await read("orders.failed")]) {
    const id = String(JSON.parse(new TextDecoder().decode(m.value!)).orderId);
    decisions.set(id, (decisions.get(id) ?? 0) + 1);
  }
  const charges = new Map<string, Set<string>>();
  for (const instance of options.payments) {
    for (const r of rows(dataDir, instance, "SELECT order_id, charge_id FROM payments")) {
      const id = String(r.order_id);
      charges.set(id, (charges.get(id) ?? new Set()).add(String(r.charge_id)));
    }
  }
  for (const id of load.orders) {
    const sent = created.get(id) ?? 0;
    const decided = decisions.get(id) ?? 0;
    if (sent !== 1) {
      if (sent === 0) lost++;
      else duplicated += sent - 1;
      problems.push(`order ${id}: orders.created sent ${sent} times`);
    }
    if (decided !== 1) {
      if (decided === 0) lost++;
      else duplicated += decided - 1;
      problems.push(`order ${id}: ${decided} committed decisions`);
    }
    if ((charges.get(id)?.size ?? 0) !== 1) {
      if (!charges.has(id)) lost++;
      else duplicated++;
      problems.push(`order ${id}: ${charges.get(id)?.size ?? 0} charges`);
    }
    const status = orders.get(id);
    if (status !== "PAGO" && status !== "FALHA") {
      stuck++;
      problems.push(`order ${id}: status ${status}`);
    }
  }

  // Balances: the last acked value of each account.
  const balances = new Map(
    rows(dataDir, "balances-service", "SELECT account_id, saldo FROM balances").map((r) => [
      String(r.account_id),
      Number(r.saldo),
    ]),
  );
  for (const [account, saldo] of load.balances) {
    const found = balances.get(account);
    if (found === saldo || (load.unknownBalances.has(account) && found !== undefined)) continue;
    lost++;
    problems.push(`account ${account}: balance ${found}, last acknowledged ${saldo}`);
  }

  // Stuck: groups at the end, outboxes empty, processes alive, no gap not made on purpose.
  await withAdmin(options.kafka, async (admin) => {
    for (const groupId of options.groups) {
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId })) {
        const ends = await admin.fetchTopicOffsets(topic).catch(() => []);
        for (const p of partitions) {
          const end = Number(ends.find((e) => e.partition === p.partition)?.high ?? 0);
          const committed = Number(p.offset);
          if (end > 0 && committed !== end) {
            stuck++;
            problems.push(`${groupId} ${topic}/${p.partition}: committed ${committed}, end ${end}`);
          }
        }
      }
    }
  });
  for (const name of ["orders-service", "doctor-campaign", "balances-service", "sink"]) {
    const [unsent] = rows(dataDir, name, "SELECT count(*) AS n FROM outbox WHERE state != 'sent'");
    if (unsent && Number(unsent.n) > 0) {
      stuck++;
      problems.push(`${name}: ${unsent.n} outbox rows unsent`);
    }
  }
  for (const name of options.dead) {
    stuck++;
    problems.push(`${name} is not running`);
  }
  for (const gap of gaps) {
    if (gap.consumer === "sink" && gap.topic === options.itemsTopic) continue;
    stuck++;
    problems.push(
      `${gap.consumer} recorded a gap the campaign did not make: ${JSON.stringify(gap)}`,
    );
  }
  return { lost, duplicated, stuck, problems, coveredByGaps };
}
