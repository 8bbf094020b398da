/**
 * The campaign's load, recording what Kafka acknowledged (or the database
 * committed) so the checker knows what must have arrived:
 *
 * - items `{n}` for the sink, written to a chosen partition so each acked
 *   one's (topic incarnation, partition, offset) is known;
 * - demands for the doctor;
 * - balances `{cliente_id, saldo, timestamp}` keyed by account, for the
 *   balances view (the last acked value of each account is the truth);
 * - orders, written to the orders database with their outbox event as the
 *   web route writes them (the orders process relays them).
 *
 * Sends retry until acknowledged; a send that fails for good (its outcome
 * unknown) is counted, and the checker lets those through.
 */
import { Buffer } from "node:buffer";
import type { Kafka, Producer } from "kafkajs";
import { createIdempotentProducer } from "../../../shared/kafka/client.ts";
import { OUTBOX_MIGRATION } from "../../../shared/outbox/outbox.ts";
import { OFFSETS_MIGRATION } from "../../../shared/consumer/offsets.ts";
import {
  createOrder,
  ORDERS_MIGRATIONS,
  ORDERS_SERVICE,
} from "../../../services/orders/orders_db.ts";
import { type DatabaseSync, openDatabase } from "../../../shared/sqlite/sqlite.ts";
import type { ItemsTopicView } from "./items_topic.ts";

/** An item the broker acknowledged. */
export interface AckedItem {
  n: number;
  /** Which incarnation of the items topic (its id) it was written to. */
  topicId: string;
  partition: number;
  offset: number;
}

/**
 * Records deleted on purpose (the campaign's delete-records): those of
 * `partition` below `before`, in the items topic's incarnation `topicId`.
 */
export interface Deletion {
  topicId: string;
  partition: number;
  before: number;
}

/** What the load has written so far. */
export interface LoadRecord {
  items: AckedItem[];
  /** The campaign's deletions of items ahead of the sink. */
  deletions: Deletion[];
  /** Items whose send failed for good: they may or may not be in the log. */
  unknownItems: Set<number>;
  demands: Set<string>;
  unknownDemands: Set<string>;
  /** Each account's last acknowledged balance. */
  balances: Map<string, number>;
  /** Accounts whose last send failed for good. */
  unknownBalances: Set<string>;
  orders: string[];
}

/** Options of the load. */
export interface LoadOptions {
  kafka: Kafka;
  dataDir: string;
  itemsTopic: string;
  /** The items topic's current id and partition count (they change when it is recreated or grows). */
  itemsTopicView: ItemsTopicView;
  /** Messages of each kind per second. */
  ratePerSecond: number;
}

/** A running load; `stop()` ends it after the sends in progress. */
export interface Load {
  record: LoadRecord;
  /** Sends a burst of `count` items to `partition` (for deletions ahead of the sink). */
  burst(partition: number, count: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the load. */
export function startLoad(options: LoadOptions): Load {
  const record: LoadRecord = {
    items: [],
    deletions: [],
    unknownItems: new Set(),
    demands: new Set(),
    unknownDemands: new Set(),
    balances: new Map(),
    unknownBalances: new Set(),
    orders: [],
  };
  let running = true;
  let n = 0;
  let version = 0;
  let producer: Producer | undefined;
  const connected = async () => {
    if (!producer) {
      const p = createIdempotentProducer(options.kafka, { retries: 8 });
      await p.connect();
      producer = p;
    }
    return producer;
  };
  const dropProducer = async () => {
    const p = producer;
    producer = undefined;
    await p?.disconnect().catch(() => {});
  };

  const sendItems = async (partition: number, count: number) => {
    const ns = Array.from({ length: count }, () => n++);
    const epoch = options.itemsTopicView.epoch();
    const state = options.itemsTopicView.state();
    try {
      const p = await connected();
      const [meta] = await p.send({
        topic: options.itemsTopic,
        acks: -1,
        messages: ns.map((x) => ({
          key: `k${x}`,
          value: Buffer.from(JSON.stringify({ n: x })),
          partition: partition % state.partitions,
        })),
      });
      const base = Number(meta.baseOffset);
      // A send across a recreation may be in either log: settled by reading the new one.
      const topicId = await options.itemsTopicView.incarnationOf(
        { n: ns[0], partition: meta.partition, offset: base },
        state.topicId,
        epoch,
      );
      ns.forEach((x, i) =>
        record.items.push({ n: x, topicId, partition: meta.partition, offset: base + i })
      );
    } catch {
      for (const x of ns) record.unknownItems.add(x);
      await dropProducer();
    }
  };

  const sendDemand = async () => {
    const id = crypto.randomUUID();
    const demand = {
      id,
      type: "campaign",
      location: { lat: -22.9, lng: -43.2 },
      metadata: { priority: "high" },
    };
    try {
      const p = await connected();
      await p.send({
        topic: "demands.created",
        acks: -1,
        messages: [{ key: id, value: Buffer.from(JSON.stringify(demand)) }],
      });
      record.demands.add(id);
    } catch {
      record.unknownDemands.add(id);
      await dropProducer();
    }
  };

  const sendBalance = async () => {
    const account = `acc-${version % 40}`;
    const saldo = ++version;
    try {
      const p = await connected();
      await p.send({
        topic: "contas",
        acks: -1,
        messages: [{
          key: account,
          value: Buffer.from(
            JSON.stringify({ cliente_id: account, saldo, timestamp: new Date().toISOString() }),
          ),
        }],
      });
      record.balances.set(account, saldo);
      record.unknownBalances.delete(account);
    } catch {
      record.unknownBalances.add(account);
      await dropProducer();
    }
  };

  let ordersDb: DatabaseSync | undefined;
  const createOne = () => {
    ordersDb ??= openDatabase(`${options.dataDir}/${ORDERS_SERVICE}/${ORDERS_SERVICE}.db`, {
      migrations: [...ORDERS_MIGRATIONS, OFFSETS_MIGRATION, OUTBOX_MIGRATION],
    });
    const total = 45 + (record.orders.length % 3) * 5_000; // some above the decline limit
    const order = createOrder(ordersDb, {
      client: { id: "1", name: "Campaign" },
      items: [{ productId: "1", quantity: 1, price: total }],
      total,
    }, { topicPrefix: "" });
    record.orders.push(order.id);
  };

  const periodMs = 1_000 / options.ratePerSecond;
  let sending: Promise<unknown> = Promise.resolve();
  const loop = (async () => {
    let tick = 0;
    while (running) {
      const started = Date.now();
      sending = Promise.all([
        sendItems(tick % 3, 1),
        sendDemand(),
        sendBalance(),
        tick % 4 === 0 ? Promise.resolve(createOne()) : Promise.resolve(),
      ]);
      await sending;
      tick++;
      await new Promise((r) => setTimeout(r, Math.max(0, periodMs - (Date.now() - started))));
    }
  })();

  return {
    record,
    burst: (partition, count) => sendItems(partition, count),
    async stop() {
      running = false;
      await loop;
      await sending.catch(() => {});
      await dropProducer();
      ordersDb?.close();
    },
  };
}
