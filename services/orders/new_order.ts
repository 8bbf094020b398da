/**
 * Validation of a new order (`POST /api/orders`, the `/orders` form):
 * `{client: {id, name}, items: [{productId, quantity, price}], total}`,
 * where `total` must equal the sum of `quantity × price`. Every problem is
 * reported, one line each, naming the field.
 */
import { z } from "zod";
import { formatCents, toCents } from "./money.ts";
import { identifier, itemsCents, money, type NewItem, newItemsSchema, text } from "./fields.ts";

/** A new order as posted. */
export const newOrderSchema = z.object({
  client: z.object({ id: identifier, name: text(200) }, {
    error: "expected an object {id, name}",
  }),
  items: newItemsSchema,
  total: money,
}, { error: "expected a JSON object" }).refine(
  (order) => itemsCents(order.items) === toCents(order.total),
  {
    path: ["total"],
    // Only once everything else is valid: a sum of invalid items means nothing.
    when: (payload) => payload.issues.length === 0,
    error: (issue) =>
      `must equal the sum of the items (${
        formatCents(itemsCents((issue.input as { items: NewItem[] }).items))
      })`,
  },
);

/** A valid new order. */
export type NewOrder = z.infer<typeof newOrderSchema>;

/** The outcome of `parseNewOrder`. */
export type NewOrderResult =
  | { ok: true; order: NewOrder }
  | { ok: false; problems: string[] };

/** Each zod issue as `path: message`, e.g. `items.0.price: must be greater than 0`. */
export function issueLines(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    `${issue.path.length ? issue.path.join(".") : "body"}: ${issue.message}`
  );
}

/** Validates `input`; on failure lists every problem. */
export function parseNewOrder(input: unknown): NewOrderResult {
  const result = newOrderSchema.safeParse(input);
  return result.success
    ? { ok: true, order: result.data }
    : { ok: false, problems: issueLines(result.error) };
}
