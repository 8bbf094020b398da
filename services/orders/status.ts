/**
 * Order statuses of seed 001 and the moves allowed between them.
 *
 *   PENDENTE ──► PAGO ──► CANCELADO
 *      │  └────► FALHA ──► CANCELADO
 *      └───────────────► CANCELADO
 *
 * Every allowed move goes one rank up (PENDENTE 0, PAGO/FALHA 1,
 * CANCELADO 2), so the graph has no cycle: whatever order status events
 * arrive in, applying only allowed moves can never send an order back to a
 * status it has left. That is the rule both the API (409 otherwise) and the
 * orders consumer (ignores the event otherwise) follow.
 *
 * This module is imported by islands: it must stay free of server-only code.
 */

/** Every status an order can have. */
export const ORDER_STATUSES = ["PENDENTE", "PAGO", "CANCELADO", "FALHA"] as const;

/** An order's status. */
export type OrderStatus = typeof ORDER_STATUSES[number];

/** Statuses a client may ask for (`PATCH /api/orders/:id`). */
export const TARGET_STATUSES = ["PAGO", "CANCELADO", "FALHA"] as const;

/** A status a client may ask for. */
export type TargetStatus = typeof TARGET_STATUSES[number];

/** The statuses each status may move to. */
export const TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  PENDENTE: ["PAGO", "FALHA", "CANCELADO"],
  PAGO: ["CANCELADO"],
  FALHA: ["CANCELADO"],
  CANCELADO: [],
};

/** Whether an order in `from` may move to `to`. */
export function canMove(from: OrderStatus, to: OrderStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Whether `value` is a known status. */
export function isOrderStatus(value: unknown): value is OrderStatus {
  return (ORDER_STATUSES as readonly unknown[]).includes(value);
}
