/**
 * The zod pieces every order-service input shares (a new order in either
 * shape, a client, a product): text, ids, money and order items, with the
 * messages the API answers with.
 */
import { z } from "zod";
import { hasCents, MAX_AMOUNT, toCents } from "./money.ts";

/** Non-empty trimmed text of at most `max` characters. */
export const text = (max: number) =>
  z.string({ error: "expected a string" }).trim().min(1, "must not be empty").max(
    max,
    `must be at most ${max} characters`,
  );

/** An id as the seeds send it: a string or an integer, kept as a string. */
export const identifier = z.union([text(100), z.number().int()], {
  error: "expected a string or an integer",
}).transform(String);

/** A positive amount with at most two decimals (a price, a total, a payment). */
export const money = z.number({ error: "expected a number" }).finite("expected a finite number")
  .positive("must be greater than 0")
  .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`)
  .refine(hasCents, "must have at most two decimal places");

/** One line of a new order. */
export const newItemSchema = z.object({
  productId: identifier,
  quantity: z.number({ error: "expected a number" }).int("must be an integer")
    .positive("must be at least 1").max(10_000, "must be at most 10000"),
  price: money,
}, { error: "expected an object {productId, quantity, price}" });

/** A valid line of a new order. */
export type NewItem = z.infer<typeof newItemSchema>;

/** The lines of a new order: 1 to 100. */
export const newItemsSchema = z.array(newItemSchema, { error: "expected a list of items" })
  .min(1, "must list at least one item").max(100, "must list at most 100 items");

/** Sum of `quantity × price` in cents. */
export function itemsCents(items: { quantity: number; price: number }[]): number {
  return items.reduce((sum, i) => sum + i.quantity * toCents(i.price), 0);
}
