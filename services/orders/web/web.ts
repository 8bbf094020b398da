/**
 * What the orders routes share: the orders database as the web server
 * opens it, and request parsing.
 */
import { z } from "zod";
import { publish } from "../../../shared/bus/bus.ts";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import { HttpError, type WebServices } from "../../../shared/web/mod.ts";
import { issueLines } from "../new_order.ts";
import { type Order, ORDERS_BUS_TOPIC } from "../order.ts";
import { type OrderFilter, ORDERS_MIGRATIONS, ORDERS_SERVICE } from "../orders_db.ts";
import { ORDER_STATUSES, TARGET_STATUSES } from "../status.ts";

/** The orders database (opened once; the orders consumer Worker relays its outbox). */
export function ordersDb(services: WebServices): DatabaseSync {
  return services.databases.get(ORDERS_SERVICE, ORDERS_MIGRATIONS);
}

/** Announces a change to open pages. */
export function announce(type: "created" | "updated", order: Order): void {
  publish(ORDERS_BUS_TOPIC, type, order);
}

/** Body of `PATCH /api/orders/:id`. */
export const statusChangeSchema = z.object({
  status: z.enum(TARGET_STATUSES, { error: `expected one of ${TARGET_STATUSES.join(", ")}` }),
}, { error: "expected a JSON object {status}" });

/** Largest page of `GET /api/orders`. */
export const MAX_PAGE_SIZE = 200;

const listQuerySchema = z.object({
  status: z.enum(ORDER_STATUSES, { error: `expected one of ${ORDER_STATUSES.join(", ")}` })
    .optional(),
  page: z.coerce.number({ error: "expected a page number" }).int("expected a page number")
    .min(1, "expected a page number from 1").default(1),
  limit: z.coerce.number({ error: "expected a number" }).int("expected a whole number")
    .min(1, "must be at least 1").max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .default(50),
});

/** A page of orders as asked for by `?status=&page=&limit=`. */
export interface ListQuery extends OrderFilter {
  page: number;
  limit: number;
}

function queryParams(url: URL, names: string[]): Record<string, string> {
  return Object.fromEntries(
    names.flatMap((name) => {
      const value = url.searchParams.get(name);
      return value === null || value === "" ? [] : [[name, value]];
    }),
  );
}

/** The list query of `url`; 400 naming every bad parameter. */
export function parseListQuery(url: URL): ListQuery {
  const result = listQuerySchema.safeParse(queryParams(url, ["status", "page", "limit"]));
  if (!result.success) throw new HttpError(400, issueLines(result.error).join("; "));
  const { status, page, limit } = result.data;
  return { status, page, limit, offset: (page - 1) * limit };
}

/** A page of a list (clients, products). */
export interface PageQuery {
  page: number;
  limit: number;
  offset: number;
}

/** The `?page=&limit=` of `url` (clients, products); 400 naming every bad parameter. */
export function parsePageQuery(url: URL): PageQuery {
  const schema = listQuerySchema.omit({ status: true });
  const result = schema.safeParse(queryParams(url, ["page", "limit"]));
  if (!result.success) throw new HttpError(400, issueLines(result.error).join("; "));
  const { page, limit } = result.data;
  return { page, limit, offset: (page - 1) * limit };
}
