/**
 * The `/orders` page's forms registering a client (`/orders/clients`) and
 * a product (`/orders/products`): plain HTML forms, no JavaScript needed,
 * each in a disclosure that opens by itself when its last attempt failed.
 */
import type {
  ClientFormValues,
  ProductFormValues,
} from "../../services/orders/web/catalog_forms.ts";
import type { FormState } from "../../services/orders/web/orders_page.ts";
import { CSRF_FIELD } from "../../shared/web/auth/csrf_token.ts";
import { Problems } from "./_problems.tsx";

/** Props of ClientForm. */
export interface ClientFormProps {
  state: FormState<ClientFormValues>;
  /** Open even without problems (e.g. no client registered yet). */
  open: boolean;
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
}

/** The form posting to `/orders/clients`. */
export function ClientForm({ state: { values, problems }, open, csrfToken }: ClientFormProps) {
  return (
    <details class="catalog-form" open={open || problems.length > 0}>
      <summary>New client</summary>
      <form method="post" action="/orders/clients" class="client-form">
        {csrfToken && <input type="hidden" name={CSRF_FIELD} value={csrfToken} />}
        <Problems problems={problems} what="The client was not registered" />
        <label>
          Name <input name="name" value={values.name} required maxLength={200} />
        </label>
        <label>
          E-mail <input name="email" type="email" value={values.email} required maxLength={254} />
        </label>
        <label>
          Phone <input name="phone" value={values.phone} required inputMode="tel" size={16} />
        </label>
        <label>
          CPF <input name="cpf" value={values.cpf} required inputMode="numeric" size={14} />
        </label>
        <button type="submit">Register client</button>
      </form>
    </details>
  );
}

/** Props of ProductForm. */
export interface ProductFormProps {
  state: FormState<ProductFormValues>;
  /** Open even without problems (e.g. no product registered yet). */
  open: boolean;
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
}

/** The form posting to `/orders/products`. */
export function ProductForm({ state: { values, problems }, open, csrfToken }: ProductFormProps) {
  return (
    <details class="catalog-form" open={open || problems.length > 0}>
      <summary>New product</summary>
      <form method="post" action="/orders/products" class="product-form">
        {csrfToken && <input type="hidden" name={CSRF_FIELD} value={csrfToken} />}
        <Problems problems={problems} what="The product was not registered" />
        <label>
          Name <input name="name" value={values.name} required maxLength={200} />
        </label>
        <label>
          Description <input name="description" value={values.description} maxLength={2000} />
        </label>
        <label>
          Price <input name="price" value={values.price} required inputMode="decimal" size={9} />
        </label>
        <label>
          In stock{" "}
          <input name="quantity" value={values.quantity} required inputMode="numeric" size={7} />
        </label>
        <button type="submit">Register product</button>
      </form>
    </details>
  );
}
