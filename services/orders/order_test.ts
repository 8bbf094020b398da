import assert from "node:assert/strict";
import { type Order, parseOrder, upsertOrder } from "./order.ts";

const order = (id: string, status: Order["status"], updatedAt: string): Order => ({
  id,
  clientId: "1",
  clientName: "Ana",
  total: 10,
  status,
  items: [],
  itemsCount: 0,
  payments: [],
  createdAt: "2024-01-15T10:30:00.000Z",
  updatedAt,
});

Deno.test("order - upsert adds new orders on top and never lets an older copy win", () => {
  const a = order("a", "PENDENTE", "2024-01-15T10:30:00.000Z");
  const b = order("b", "PENDENTE", "2024-01-15T10:31:00.000Z");
  const paid = { ...a, status: "PAGO" as const, updatedAt: "2024-01-15T10:32:00.000Z" };
  assert.deepEqual(upsertOrder([a], b).map((o) => o.id), ["b", "a"]);
  assert.deepEqual(upsertOrder([b, a], paid), [b, paid]);
  assert.deepEqual(upsertOrder([b, paid], a), [b, paid], "a late `created` changes nothing");
});

Deno.test("order - parseOrder takes only what has an id and a known status", () => {
  assert.equal(parseOrder(null), undefined);
  assert.equal(parseOrder({ id: "a", status: "paid" }), undefined);
  assert.deepEqual(parseOrder({ id: "a", status: "PAGO", total: "1" }), {
    id: "a",
    clientId: "",
    clientName: "",
    total: 0,
    status: "PAGO",
    items: [],
    itemsCount: 0,
    payments: [],
    createdAt: "",
    updatedAt: "",
  });
});
