/**
 * A new order in seed 001's shape (`POST /v1/orders`, the `/orders` form):
 * `{clientId, items: [{productId, quantity, price}], total, payments:
 * [{typePaymentId, amount}]}`. The client and every product must be
 * registered; the order takes the client's name and each product's name
 * from the catalogue.
 *
 * Two kinds of problem, answered differently: a body that is malformed on
 * its own (a missing field, a total that is not the items' sum, payments
 * that do not add up to the total) is 400; a well-formed body naming a
 * client or product that does not exist, or a price that is not the
 * product's, is 422.
 */
import { z } from "zod";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { getClient } from "./clients_db.ts";
import { identifier, itemsCents, money, newItemsSchema } from "./fields.ts";
import { formatCents, toCents } from "./money.ts";
import { issueLines } from "./new_order.ts";
import type { OrderDraft } from "./orders_db.ts";
import { getProduct } from "./products_db.ts";

const paymentSchema = z.object({
  typePaymentId: z.number({ error: "expected a number" }).int("must be an integer")
    .positive("must be at least 1"),
  amount: money,
}, { error: "expected an object {typePaymentId, amount}" });

const paymentsCents = (payments: { amount: number }[]) =>
  payments.reduce((sum, p) => sum + toCents(p.amount), 0);

/** A new order as seed 001 posts it. */
export const catalogOrderSchema = z.object({
  clientId: identifier,
  items: newItemsSchema,
  total: money,
  payments: z.array(paymentSchema, { error: "expected a list of payments" })
    .min(1, "must list at least one payment when given").max(10, "must list at most 10 payments")
    .optional(),
}, { error: "expected a JSON object {clientId, items, total, payments}" })
  .refine((order) => itemsCents(order.items) === toCents(order.total), {
    path: ["total"],
    when: (payload) => payload.issues.length === 0,
    error: (issue) =>
      `must equal the sum of the items (${
        formatCents(
          itemsCents((issue.input as { items: { quantity: number; price: number }[] }).items),
        )
      })`,
  })
  .refine((order) => !order.payments || paymentsCents(order.payments) === toCents(order.total), {
    path: ["payments"],
    when: (payload) => payload.issues.length === 0,
    error: (issue) => {
      const input = issue.input as { total: number; payments: { amount: number }[] };
      return `must add up to the total (${formatCents(toCents(input.total))}), not ${
        formatCents(paymentsCents(input.payments))
      }`;
    },
  });

/** A well-formed seed-shaped order, before its client and products are looked up. */
export type CatalogOrder = z.infer<typeof catalogOrderSchema>;

/** The outcome of `resolveCatalogOrder`. */
export type CatalogOrderResult =
  | { ok: true; draft: OrderDraft }
  | { ok: false; status: 400 | 422; problems: string[] };

/** Validates `input` and looks its client and products up in `db`. */
export function resolveCatalogOrder(db: DatabaseSync, input: unknown): CatalogOrderResult {
  const parsed = catalogOrderSchema.safeParse(input);
  if (!parsed.success) return { ok: false, status: 400, problems: issueLines(parsed.error) };
  const order = parsed.data;
  const problems: string[] = [];
  const client = getClient(db, order.clientId);
  if (!client) problems.push(`clientId: no client ${JSON.stringify(order.clientId)}`);
  const items = order.items.map((item, i) => {
    const product = getProduct(db, item.productId);
    if (!product) {
      problems.push(`items.${i}.productId: no product ${JSON.stringify(item.productId)}`);
      return item;
    }
    if (toCents(product.price) !== toCents(item.price)) {
      problems.push(
        `items.${i}.price: product ${JSON.stringify(product.id)} costs ${
          formatCents(toCents(product.price))
        }, not ${formatCents(toCents(item.price))}`,
      );
    }
    return { ...item, name: product.name };
  });
  if (!client || problems.length > 0) return { ok: false, status: 422, problems };
  return {
    ok: true,
    draft: {
      client: { id: client.id, name: client.name },
      items,
      total: order.total,
      payments: order.payments ?? [],
    },
  };
}
