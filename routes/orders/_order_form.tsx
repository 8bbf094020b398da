/**
 * The new-order form of the `/orders` page: a plain HTML form that works
 * without JavaScript — pick a client and up to FORM_ITEM_ROWS products with
 * their quantities; prices and the total come from the catalogue. The
 * problems of the last attempt are listed above it, the choices kept.
 */
import type { Client } from "../../services/orders/client.ts";
import { formatCents, toCents } from "../../services/orders/money.ts";
import type { Product } from "../../services/orders/product.ts";
import { FORM_ITEM_ROWS, type OrderFormValues } from "../../services/orders/web/order_form.ts";
import { CSRF_FIELD } from "../../shared/web/auth/csrf_token.ts";
import { Problems } from "./_problems.tsx";

/** Props of OrderForm. */
export interface OrderFormProps {
  values: OrderFormValues;
  /** Problems of the last attempt, one line each. */
  problems: string[];
  clients: Client[];
  products: Product[];
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
}

/** The form posting to `/orders`. */
export function OrderForm({ values, problems, clients, products, csrfToken }: OrderFormProps) {
  if (clients.length === 0 || products.length === 0) {
    return (
      <p class="empty">
        To place an order, register at least one client and one product (below, or with{" "}
        <code>POST /v1/clients</code> and <code>POST /v1/products</code>).
      </p>
    );
  }
  return (
    <form method="post" action="/orders" class="order-form">
      {csrfToken && <input type="hidden" name={CSRF_FIELD} value={csrfToken} />}
      <Problems problems={problems} what="The order was not created" />
      <label>
        Client{" "}
        <select name="clientId" required>
          <option value="" selected={values.clientId === ""}>Pick a client…</option>
          {clients.map((c) => (
            <option key={c.id} value={c.id} selected={c.id === values.clientId}>
              {c.name} ({c.email})
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>Items</legend>
        {Array.from({ length: FORM_ITEM_ROWS }, (_, i) => (
          <div class="item-row" key={i}>
            <label>
              Product{" "}
              <select name={`items.${i}.productId`}>
                <option value="" selected={!values.items[i]?.productId}>—</option>
                {products.map((p) => (
                  <option key={p.id} value={p.id} selected={p.id === values.items[i]?.productId}>
                    {p.name} — {formatCents(toCents(p.price))}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Quantity{" "}
              <input
                name={`items.${i}.quantity`}
                value={values.items[i]?.quantity}
                inputMode="numeric"
                size={5}
              />
            </label>
          </div>
        ))}
      </fieldset>
      <p>
        <small>Prices are the products'; the total is the sum of the items.</small>
      </p>
      <p>
        <button type="submit">Create order</button>
      </p>
    </form>
  );
}
