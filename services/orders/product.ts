/**
 * A product of the orders service, as seed 001's step 4 registers it:
 * `POST /v1/products {name, description, price, quantity}`. `quantity` is
 * the stock on hand as registered; orders do not reserve it.
 */
import { z } from "zod";
import { money, text } from "./fields.ts";
import { issueLines } from "./new_order.ts";

/** A registered product. */
export interface Product {
  id: string;
  name: string;
  description: string;
  /** Unit price. */
  price: number;
  /** Units in stock when registered. */
  quantity: number;
  createdAt: string;
}

/** A new product as posted; `description` may be left out (empty). */
export const newProductSchema = z.object({
  name: text(200),
  description: z.string({ error: "expected a string" }).trim()
    .max(2_000, "must be at most 2000 characters").default(""),
  price: money,
  quantity: z.number({ error: "expected a number" }).int("must be an integer")
    .nonnegative("must be 0 or more").max(1_000_000_000, "must be at most 1000000000"),
}, { error: "expected a JSON object {name, description, price, quantity}" });

/** A valid new product. */
export type NewProduct = z.infer<typeof newProductSchema>;

/** Validates `input`; on failure lists every problem. */
export function parseNewProduct(
  input: unknown,
): { ok: true; product: NewProduct } | { ok: false; problems: string[] } {
  const result = newProductSchema.safeParse(input);
  return result.success
    ? { ok: true, product: result.data }
    : { ok: false, problems: issueLines(result.error) };
}
