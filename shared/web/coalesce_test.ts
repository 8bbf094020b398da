import assert from "node:assert/strict";
import type { BusMessage } from "../bus/bus.ts";
import { Coalescer } from "./coalesce.ts";

const message = (topic: string, data: unknown, type = "status"): BusMessage => ({
  topic,
  type,
  data,
  at: 0,
});

Deno.test("coalescer - keeps every message of an ordinary topic in order", () => {
  const c = new Coalescer();
  for (let n = 0; n < 5; n++) c.add(message("demands", { n }, "created"));
  const { messages, dropped } = c.take();
  assert.deepEqual(messages.map((m) => (m.data as { n: number }).n), [0, 1, 2, 3, 4]);
  assert.equal(dropped, 0);
  assert.equal(c.take().messages.length, 0);
});

Deno.test("coalescer - keeps only the newest status per consumer, at the newest's place", () => {
  const c = new Coalescer();
  c.add(message("consumer", { name: "a", lag: 1 }));
  c.add(message("demands", { n: 1 }, "created"));
  c.add(message("consumer", { name: "b", lag: 1 }));
  c.add(message("consumer", { name: "a", lag: 2 }));
  const order = c.take().messages.map((m) =>
    m.topic === "consumer"
      ? `${(m.data as { name: string }).name}${(m.data as { lag: number }).lag}`
      : "d"
  );
  assert.deepEqual(order, ["d", "b1", "a2"]);
});

Deno.test("coalescer - drops the oldest beyond the limit and counts them", () => {
  const c = new Coalescer({ maxMessages: 3 });
  c.add(message("consumer", { name: "a", lag: 1 }));
  for (let n = 0; n < 4; n++) c.add(message("demands", { n }, "created"));
  const { messages, dropped } = c.take();
  assert.equal(dropped, 2);
  assert.deepEqual(messages.map((m) => (m.data as { n: number }).n), [1, 2, 3]);
  c.add(message("consumer", { name: "a", lag: 9 }));
  assert.equal(c.size, 1);
});
