/**
 * The orders service's catalogue on Kafka: every client and product it
 * registers is published, keyed by id, to the compacted topics `clients`
 * and `products`, so the latest value of a key is the current record and
 * any service can build its own copy without calling the orders service.
 * The value is the seed's JSON (step 4's request body) plus `id` and
 * `createdAt`.
 */
import { z } from "zod";
import type { Client } from "./client.ts";
import type { Product } from "./product.ts";

/** Compacted topic of the clients, keyed by client id. */
export const CLIENTS = "clients";
/** Compacted topic of the products, keyed by product id. */
export const PRODUCTS = "products";

const id = z.string().trim().min(1, "must not be empty").max(200);
const time = z.iso.datetime({ offset: true, error: "expected an ISO 8601 date-time" });

/** A `clients` value. */
export const clientEventSchema = z.looseObject({
  id,
  name: z.string().min(1).max(200),
  email: z.string().max(254),
  phone: z.string().max(40),
  cpf: z.string().regex(/^\d{11}$/, "expected 11 digits"),
  createdAt: time,
});

/** A `products` value. */
export const productEventSchema = z.looseObject({
  id,
  name: z.string().min(1).max(200),
  description: z.string().max(2_000),
  price: z.number().finite().positive(),
  quantity: z.number().int().nonnegative(),
  createdAt: time,
});

/** The `clients` value of `client` (the seed's fields, then id and createdAt). */
export function clientEvent(client: Client): z.infer<typeof clientEventSchema> {
  const { name, email, phone, cpf, id, createdAt } = client;
  return { name, email, phone, cpf, id, createdAt };
}

/** The `products` value of `product` (the seed's fields, then id and createdAt). */
export function productEvent(product: Product): z.infer<typeof productEventSchema> {
  const { name, description, price, quantity, id, createdAt } = product;
  return { name, description, price, quantity, id, createdAt };
}
