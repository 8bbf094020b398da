import assert from "node:assert/strict";
import { canMove, ORDER_STATUSES, type OrderStatus, TRANSITIONS } from "./status.ts";

const RANK: Record<OrderStatus, number> = { PENDENTE: 0, PAGO: 1, FALHA: 1, CANCELADO: 2 };

Deno.test("order status - every allowed move goes one rank up, so no order ever moves back", () => {
  for (const from of ORDER_STATUSES) {
    for (const to of TRANSITIONS[from]) {
      assert.ok(RANK[to] > RANK[from], `${from} → ${to}`);
    }
  }
});

Deno.test("order status - the moves of seed 001", () => {
  assert.ok(canMove("PENDENTE", "PAGO"));
  assert.ok(canMove("PENDENTE", "FALHA"));
  assert.ok(canMove("PAGO", "CANCELADO"));
  assert.ok(!canMove("PAGO", "FALHA"));
  assert.ok(!canMove("FALHA", "PAGO"));
  assert.ok(!canMove("CANCELADO", "PAGO"));
  assert.ok(!canMove("PAGO", "PENDENTE"));
});
