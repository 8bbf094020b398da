/**
 * The order events of seed 001, exactly as the seed's services send them,
 * keyed by orderId:
 *
 * - `orders.created`: `{orderId, clientId, total, status, items[], itemsCount, createdAt}`;
 *   the orders service adds `clientName` and, for items from its catalogue,
 *   each item's product `name` (an enrichment, as the seed's `enrichedItems`).
 *   Both are optional: an `orders.created` without them is valid.
 * - `orders.paid` / `orders.failed`: `{orderId, clientId, clientName, status, total, updatedAt}`
 *
 * The schemas accept what producers outside Freshet send (ids as strings or
 * integers, extra fields kept); the builders produce the seed's fields
 * (plus that enrichment).
 */
import { z } from "zod";
import type { Order } from "./order.ts";
import type { TargetStatus } from "./status.ts";

/** Topic of new orders. */
export const ORDERS_CREATED = "orders.created";
/** Topic of paid orders. */
export const ORDERS_PAID = "orders.paid";
/** Topic of cancelled or failed orders. */
export const ORDERS_FAILED = "orders.failed";

const identifier = z.union([
  z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  z.number().int(),
]).transform(String);
const amount = z.number({ error: "expected a number" }).finite().nonnegative("must be ≥ 0");
const time = z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time" });

/** One item of an `orders.created` event. */
export const orderItemSchema = z.looseObject({
  productId: identifier,
  quantity: z.number().int().positive("must be a positive integer"),
  price: amount,
  /** The product's name (orders service enrichment; optional). */
  name: z.string().max(200).optional(),
});

/** The `orders.created` event. */
export const orderCreatedSchema = z.looseObject({
  orderId: z.string().trim().min(1, "must not be empty").max(200),
  clientId: identifier,
  /** The client's name (orders service enrichment; absent or null from other producers). */
  clientName: z.string().max(200).nullable().optional(),
  total: amount,
  status: z.literal("PENDENTE", { error: "a new order is PENDENTE" }),
  items: z.array(orderItemSchema),
  itemsCount: z.number().int().nonnegative(),
  createdAt: time,
});

/** The `orders.created` event. */
export type OrderCreated = z.infer<typeof orderCreatedSchema>;

const statusEventFields = {
  orderId: z.string().trim().min(1, "must not be empty").max(200),
  clientId: identifier,
  /** Null when the producer does not know the client's name (payments). */
  clientName: z.string().max(200).nullable(),
  total: amount,
  updatedAt: time,
};

/** The `orders.paid` event. */
export const orderPaidSchema = z.looseObject({
  ...statusEventFields,
  status: z.literal("PAGO", { error: "orders.paid carries status PAGO" }),
});

/** The `orders.failed` event. */
export const orderFailedSchema = z.looseObject({
  ...statusEventFields,
  status: z.enum(["CANCELADO", "FALHA"], { error: "orders.failed carries CANCELADO or FALHA" }),
});

/** An `orders.paid` or `orders.failed` event. */
export interface OrderStatusEvent {
  orderId: string;
  clientId: string;
  clientName: string | null;
  status: TargetStatus;
  total: number;
  updatedAt: string;
}

/** The topic announcing a move to `status`. */
export function topicForStatus(status: TargetStatus): typeof ORDERS_PAID | typeof ORDERS_FAILED {
  return status === "PAGO" ? ORDERS_PAID : ORDERS_FAILED;
}

/**
 * The `orders.created` event of a new order: the seed's fields in the
 * seed's order, enriched with the client's name and the items' product names.
 */
export function orderCreatedEvent(order: Order): OrderCreated {
  return {
    orderId: order.id,
    clientId: order.clientId,
    clientName: order.clientName,
    total: order.total,
    status: "PENDENTE",
    items: order.items.map((i) => ({
      productId: i.productId,
      quantity: i.quantity,
      price: i.price,
      ...(i.name === undefined ? {} : { name: i.name }),
    })),
    itemsCount: order.items.length,
    createdAt: order.createdAt,
  };
}

/** The `orders.paid` / `orders.failed` event of an order that moved to `order.status`. */
export function orderStatusEvent(order: Order & { status: TargetStatus }): OrderStatusEvent {
  return {
    orderId: order.id,
    clientId: order.clientId,
    clientName: order.clientName,
    status: order.status,
    total: order.total,
    updatedAt: order.updatedAt,
  };
}
