/**
 * Consumer groups and partitions, shown with the payments consumer on a
 * 3-partition `orders.created` (docs/groups_and_partitions.md runs the same
 * by hand): two instances of one group split the partitions between them;
 * a second group gets every message again; messages with the same key
 * stay in one partition, in the order they were produced.
 */
import assert from "node:assert/strict";
import { AssignerProtocol } from "kafkajs";
import { paymentsConsumer } from "../services/payments/consumer.ts";
import { withAdmin } from "../shared/kafka/client.ts";
import { ORDERS_CREATED } from "../services/orders/events.ts";
import { listPayments, type Payment } from "../services/payments/payments_db.ts";
import { produce, randomName, waitFor } from "./helpers.ts";
import { type OrdersWorld, ordersWorld, startRunner, withDb } from "./orders_helpers.ts";

/** `orders.created` messages for `ids`, keyed by orderId unless `key` is given. */
function orders(ids: string[], key?: string) {
  return ids.map((orderId) => ({
    key: key ?? orderId,
    value: JSON.stringify({
      orderId,
      clientId: "42",
      total: 10,
      status: "PENDENTE",
      items: [{ productId: "1", quantity: 1, price: 10 }],
      itemsCount: 1,
      createdAt: new Date().toISOString(),
    }),
  }));
}

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, "0")}`);

const paymentsOf = (world: OrdersWorld, instance: string): Payment[] =>
  withDb(world, `payments-service-${instance}`, (db) => listPayments(db));

/** Each member's partitions of `topic`, as the group coordinator reports them. */
async function assignments(world: OrdersWorld, groupId: string, topic: string) {
  return await withAdmin(world.kafka, async (admin) => {
    const { groups: [group] } = await admin.describeGroups([groupId]);
    return {
      state: group.state,
      members: group.members.map((m) =>
        AssignerProtocol.MemberAssignment.decode(m.memberAssignment)?.assignment[topic] ?? []
      ),
    };
  });
}

Deno.test("groups - two instances of one group split the partitions: disjoint, covering all", async () => {
  const world = await ordersWorld();
  const groupId = randomName("payments-test");
  const topic = world.topic(ORDERS_CREATED);
  const start = (instance: string) =>
    startRunner(world, paymentsConsumer.create({ ...world.env, PAYMENTS_INSTANCE: instance }), {
      groupId,
    });
  const a = await start("a");
  const b = await start("b");
  try {
    let described = await assignments(world, groupId, topic);
    await waitFor("both members to hold partitions", async () => {
      described = await assignments(world, groupId, topic);
      return described.state === "Stable" && described.members.length === 2 &&
        described.members.every((p) => p.length > 0);
    });
    assert.deepEqual(described.members.flat().toSorted(), [0, 1, 2], "each partition once");

    await produce(world.kafka, topic, orders(ids("o", 30)));
    await waitFor("30 payments", () => a.counters.processed + b.counters.processed === 30);
    const [pa, pb] = [paymentsOf(world, "a"), paymentsOf(world, "b")];
    const partitions = (payments: Payment[]) => [...new Set(payments.map((p) => p.partition))];
    assert.ok(pa.length > 0 && pb.length > 0, `a paid ${pa.length}, b paid ${pb.length}`);
    assert.deepEqual(partitions(pa).filter((p) => partitions(pb).includes(p)), [], "disjoint");
    assert.deepEqual([...partitions(pa), ...partitions(pb)].toSorted(), [0, 1, 2], "covering");
    assert.deepEqual(
      [...pa, ...pb].map((p) => p.orderId).toSorted(),
      ids("o", 30),
      "every order paid once, by one of them",
    );
  } finally {
    await a.stop();
    await b.stop();
    await world.close();
  }
});

Deno.test("groups - a second group receives every message too", async () => {
  const world = await ordersWorld();
  const start = (instance: string) =>
    startRunner(world, paymentsConsumer.create({ ...world.env, PAYMENTS_INSTANCE: instance }));
  const first = await start("first");
  const second = await start("second");
  try {
    await produce(world.kafka, world.topic(ORDERS_CREATED), orders(ids("o", 12)));
    await waitFor(
      "both groups to read 12",
      () => first.counters.processed === 12 && second.counters.processed === 12,
    );
    for (const instance of ["first", "second"]) {
      assert.deepEqual(
        paymentsOf(world, instance).map((p) => p.orderId).toSorted(),
        ids("o", 12),
        instance,
      );
    }
  } finally {
    await first.stop();
    await second.stop();
    await world.close();
  }
});

Deno.test("partitions - messages with the same key stay in one partition, in the order produced", async () => {
  const world = await ordersWorld();
  const runner = await startRunner(
    world,
    paymentsConsumer.create({ ...world.env, PAYMENTS_INSTANCE: "keys" }),
  );
  try {
    // One key for many orders (a client's), interleaved with orders under their own keys.
    const sameKey = ids("client-42", 20);
    const messages = sameKey.flatMap((id, i) => [
      ...orders([id], "client-42"),
      ...orders([`other-${i}`]),
    ]);
    await produce(world.kafka, world.topic(ORDERS_CREATED), messages);
    await waitFor("40 payments", () => runner.counters.processed === 40);
    const keyed = paymentsOf(world, "keys").filter((p) => sameKey.includes(p.orderId));
    assert.deepEqual(keyed.map((p) => p.orderId), sameKey, "processed in the order produced");
    assert.equal(new Set(keyed.map((p) => p.partition)).size, 1, "one partition");
    const offsets = keyed.map((p) => p.offset);
    assert.deepEqual(offsets, offsets.toSorted((x, y) => x - y), "offsets grow in that order");
    const others = paymentsOf(world, "keys").filter((p) => !sameKey.includes(p.orderId));
    assert.ok(new Set(others.map((p) => p.partition)).size > 1, "other keys spread out");
  } finally {
    await runner.stop();
    await world.close();
  }
});

Deno.test("groups - a partition coming back to an instance never re-pays what another instance paid", async () => {
  const world = await ordersWorld();
  const groupId = randomName("payments-test");
  const topic = world.topic(ORDERS_CREATED);
  const start = (instance: string) =>
    startRunner(world, paymentsConsumer.create({ ...world.env, PAYMENTS_INSTANCE: instance }), {
      groupId,
    });
  try {
    const a1 = await start("a");
    await produce(world.kafka, topic, orders(ids("first", 12)));
    await waitFor("a pays the first 12", () => a1.counters.processed === 12);
    await a1.stop();

    const b = await start("b");
    await produce(world.kafka, topic, orders(ids("second", 12)));
    await waitFor("b pays the next 12", () => b.counters.processed === 12);
    await b.stop();

    // a's database stored offsets before b's payments; the group's committed offsets are after them.
    const a2 = await start("a");
    await produce(world.kafka, topic, orders(ids("third", 6)));
    await waitFor("a pays the last 6", () => a2.counters.processed === 6);
    await new Promise((r) => setTimeout(r, 500));
    await a2.stop();

    const paid = [...paymentsOf(world, "a"), ...paymentsOf(world, "b")].map((p) => p.orderId);
    assert.equal(paid.length, 30, "30 payments for 30 orders");
    assert.equal(new Set(paid).size, 30, "no order paid twice");
    assert.equal(paymentsOf(world, "b").length, 12);
  } finally {
    await world.close();
  }
});
