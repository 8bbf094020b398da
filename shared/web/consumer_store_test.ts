import assert from "node:assert/strict";
import type { BusMessage } from "../bus/bus.ts";
import {
  ConsumerStore,
  feedConsumerStore,
  isStatusMessage,
  MAX_CONSUMERS,
} from "./consumer_store.ts";

function report(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    groupId: `${name}-group`,
    topics: ["t"],
    state: "running",
    mode: "worker",
    lag: 0,
    partitionLag: {},
    counters: { processed: 1, deadLettered: 0, skipped: 0, batches: 1, retries: 0 },
    at: 1,
    ...overrides,
  };
}

Deno.test("consumer store - keeps valid reports, latest per consumer, by name", () => {
  const store = new ConsumerStore();
  assert.ok(store.update(report("orders"), 10));
  assert.ok(store.update(report("balances"), 11));
  assert.ok(store.update(report("orders", { state: "rejoining" }), 12));
  assert.deepEqual(store.list().map((r) => [r.status.name, r.status.state, r.receivedAt]), [
    ["balances", "running", 11],
    ["orders", "rejoining", 12],
  ]);
  store.clear();
  assert.deepEqual(store.list(), []);
});

Deno.test("consumer store - a report that is not one is dropped", async (t) => {
  const bad: [string, unknown][] = [
    ["no name", report("")],
    ["an unknown state", report("x", { state: "dancing" })],
    ["a negative lag", report("x", { lag: -1 })],
    ["counters missing", report("x", { counters: { processed: 1 } })],
    ["not an object", "running"],
  ];
  for (const [what, value] of bad) {
    await t.step(what, () => {
      const store = new ConsumerStore();
      assert.equal(store.update(value), false);
      assert.deepEqual(store.list(), []);
    });
  }
});

Deno.test("consumer store - a misbehaving publisher cannot grow it past MAX_CONSUMERS", () => {
  const store = new ConsumerStore();
  for (let i = 0; i < MAX_CONSUMERS; i++) assert.ok(store.update(report(`c${i}`)));
  assert.equal(store.update(report("one-more")), false);
  assert.ok(store.update(report("c0", { lag: 5 })), "a known consumer still updates");
  assert.equal(store.list().length, MAX_CONSUMERS);
});

Deno.test("consumer store - fed from the bus: status messages only, until stopped", () => {
  const listeners: ((m: BusMessage) => void)[] = [];
  const subscribe = (listener: (m: BusMessage) => void) => {
    listeners.push(listener);
    return () => listeners.splice(listeners.indexOf(listener), 1);
  };
  const store = new ConsumerStore();
  const stop = feedConsumerStore(store, subscribe);
  const send = (m: BusMessage) => listeners.forEach((l) => l(m));
  send({ topic: "consumer", type: "status", data: report("doctor-house"), at: 1 });
  send({ topic: "demands", type: "created", data: report("not-a-status"), at: 1 });
  assert.deepEqual(store.list().map((r) => r.status.name), ["doctor-house"]);
  assert.ok(isStatusMessage({ topic: "consumer", type: "status", data: {}, at: 1 }));
  stop();
  send({ topic: "consumer", type: "status", data: report("late"), at: 1 });
  assert.equal(store.list().length, 1);
});

Deno.test("consumer store - a pipelined view's row says so", async () => {
  const { toConsumerRow, parseConsumerRow } = await import("./consumer_row.ts");
  const store = new ConsumerStore();
  assert.ok(store.update(report("doctor-house", { kind: "view", pipelined: true }), 1));
  assert.ok(store.update(report("payments", { kind: "processor" }), 2));
  const rows = store.list().map((r) => toConsumerRow(r.status));
  assert.deepEqual(rows.map((r) => r.mode), ["worker · pipelined", "worker"]);
  assert.equal(parseConsumerRow(report("x", { pipelined: true }))?.mode, "worker · pipelined");
  assert.equal(parseConsumerRow(report("x", { pipelined: "yes" }))?.mode, "worker");
});
