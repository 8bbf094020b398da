/**
 * Validation of a new order (`POST /api/orders`, the `/orders` form):
 * `{client: {id, name}, items: [{productId, quantity, price}], total}`,
 * where `total` must equal the sum of `quantity × price`. Every problem is
 * reported, one line each, naming the field.
 */
import { z } from "zod";
import { formatCents, hasCents, MAX_AMOUNT, toCents } from "./money.ts";

const text = (max: number) =>
  z.string({ error: "expected a string" }).trim().min(1, "must not be empty").max(
    max,
    `must be at most ${max} characters`,
  );

const identifier = z.union([text(100), z.number().int()], {
  error: "expected a string or an integer",
}).transform(String);

const money = z.number({ error: "expected a number" }).finite("expected a finite number")
  .positive("must be greater than 0")
  .max(MAX_AMOUNT, `must be at most ${MAX_AMOUNT}`)
  .refine(hasCents, "must have at most two decimal places");

const newItemSchema = z.object({
  productId: identifier,
  quantity: z.number({ error: "expected a number" }).int("must be an integer")
    .positive("must be at least 1").max(10_000, "must be at most 10000"),
  price: money,
}, { error: "expected an object {productId, quantity, price}" });

/** A new order as posted. */
export const newOrderSchema = z.object({
  client: z.object({ id: identifier, name: text(200) }, {
    error: "expected an object {id, name}",
  }),
  items: z.array(newItemSchema, { error: "expected a list of items" })
    .min(1, "must list at least one item").max(100, "must list at most 100 items"),
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

type NewItem = z.infer<typeof newItemSchema>;

/** Sum of `quantity × price` in cents. */
function itemsCents(items: NewItem[]): number {
  return items.reduce((sum, i) => sum + i.quantity * toCents(i.price), 0);
}

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
