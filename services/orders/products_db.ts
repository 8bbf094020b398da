/**
 * The products of the orders database. Registering one stores it and its
 * `products` event (outbox, relayed by the orders consumer) in one
 * transaction; every registration is a new product.
 */
import { enqueue, outboxTransaction } from "../../shared/outbox/outbox.ts";
import type { DatabaseSync } from "../../shared/sqlite/sqlite.ts";
import { ORDERS_SERVICE } from "./orders_db.ts";
import { topicName } from "../../shared/kafka/names.ts";
import { productEvent, PRODUCTS } from "./catalog_events.ts";
import { fromCents, toCents } from "./money.ts";
import { ORDERS_SOURCE, type TopicOptions } from "./orders_db.ts";
import type { NewProduct, Product } from "./product.ts";

const SELECT = "SELECT id, name, description, price_cents, quantity, created_at FROM products";

function toProduct(row: Record<string, unknown>): Product {
  return {
    id: String(row.id),
    name: String(row.name),
    description: String(row.description),
    price: fromCents(Number(row.price_cents)),
    quantity: Number(row.quantity),
    createdAt: String(row.created_at),
  };
}

/** One product, or undefined. */
export function getProduct(db: DatabaseSync, id: string): Product | undefined {
  const row = db.prepare(`${SELECT} WHERE id = ?`).get(id);
  return row ? toProduct(row) : undefined;
}

/** Newest products first, and how many there are. */
export function listProducts(
  db: DatabaseSync,
  page: { limit?: number; offset?: number } = {},
): { products: Product[]; total: number } {
  const rows = db.prepare(`${SELECT} ORDER BY created_at DESC, rowid DESC LIMIT ? OFFSET ?`)
    .all(page.limit ?? 50, page.offset ?? 0);
  const total = Number(db.prepare("SELECT count(*) AS n FROM products").get()!.n);
  return { products: rows.map(toProduct), total };
}

/** Registers a product with its `products` event; returns it. */
export function createProduct(
  db: DatabaseSync,
  input: NewProduct,
  options: TopicOptions,
): Product {
  const product: Product = {
    id: crypto.randomUUID(),
    ...input,
    createdAt: new Date().toISOString(),
  };
  return outboxTransaction(db, ORDERS_SERVICE, () => {
    db.prepare(
      `INSERT INTO products (id, name, description, price_cents, quantity, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(
      product.id,
      product.name,
      product.description,
      toCents(product.price),
      product.quantity,
      product.createdAt,
    );
    enqueue(db, {
      topic: topicName({ FRESHET_TOPIC_PREFIX: options.topicPrefix }, PRODUCTS),
      key: product.id,
      value: productEvent(product),
      type: PRODUCTS,
      source: ORDERS_SOURCE,
    });
    return product;
  });
}
