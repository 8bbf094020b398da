/**
 * What the `/orders` page shows, shared by its three forms' routes
 * (`/orders`, `/orders/clients`, `/orders/products`): each renders the
 * same page, with its own form's problems when it refuses an input.
 */
import type { Client } from "../client.ts";
import { getClient, listClients } from "../clients_db.ts";
import type { Order } from "../order.ts";
import { listOrders } from "../orders_db.ts";
import type { Product } from "../product.ts";
import { getProduct, listProducts } from "../products_db.ts";
import type { RouteContext } from "../../../shared/web/mod.ts";
import {
  type ClientFormValues,
  emptyClientForm,
  emptyProductForm,
  type ProductFormValues,
} from "./catalog_forms.ts";
import { emptyOrderForm, type OrderFormValues } from "./order_form.ts";
import { type ListQuery, ordersDb, parseListQuery } from "./web.ts";

/** Most clients and products the pickers list (newest first). */
export const PICKER_LIMIT = 200;

/** A form's values and the problems of its last attempt. */
export interface FormState<V> {
  values: V;
  problems: string[];
}

/** What the page shows. */
export interface OrdersPageData {
  orders: Order[];
  total: number;
  query: ListQuery;
  clients: Client[];
  products: Product[];
  orderForm: FormState<OrderFormValues>;
  clientForm: FormState<ClientFormValues>;
  productForm: FormState<ProductFormValues>;
  /** What the last redirect announces (an order created, a client or product registered). */
  notice?: { kind: "order" | "client" | "product"; id: string; label: string };
}

function noticeOf(ctx: RouteContext<OrdersPageData>): OrdersPageData["notice"] {
  const db = ordersDb(ctx.services);
  const param = (name: string) => ctx.url.searchParams.get(name) ?? undefined;
  const created = param("created");
  if (created) return { kind: "order", id: created, label: created };
  const clientId = param("client");
  const client = clientId ? getClient(db, clientId) : undefined;
  if (client) return { kind: "client", id: client.id, label: client.name };
  const productId = param("product");
  const product = productId ? getProduct(db, productId) : undefined;
  if (product) return { kind: "product", id: product.id, label: product.name };
  return undefined;
}

/** The page's data for this request; `forms` replaces a form's state (after a refused input). */
export function ordersPageData(
  ctx: RouteContext<OrdersPageData>,
  forms: Partial<Pick<OrdersPageData, "orderForm" | "clientForm" | "productForm">> = {},
): OrdersPageData {
  const db = ordersDb(ctx.services);
  const query = parseListQuery(ctx.url);
  const { orders, total } = listOrders(db, query);
  const notice = noticeOf(ctx);
  const preselect = {
    clientId: notice?.kind === "client" ? notice.id : undefined,
    productId: notice?.kind === "product" ? notice.id : undefined,
  };
  return {
    orders,
    total,
    query,
    clients: listClients(db, { limit: PICKER_LIMIT }).clients,
    products: listProducts(db, { limit: PICKER_LIMIT }).products,
    orderForm: { values: emptyOrderForm(preselect), problems: [] },
    clientForm: { values: emptyClientForm(), problems: [] },
    productForm: { values: emptyProductForm(), problems: [] },
    notice,
    ...forms,
  };
}
