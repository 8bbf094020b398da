/**
 * The new-order form of the `/orders` page: a plain HTML form that works
 * without JavaScript, with the problems of the last attempt listed above
 * it and the values typed kept.
 */
import { FORM_ITEM_ROWS, type OrderFormValues } from "../../services/orders/web/order_form.ts";
import { CSRF_FIELD } from "../../shared/web/auth/csrf_token.ts";

/** Props of OrderForm. */
export interface OrderFormProps {
  values: OrderFormValues;
  /** Problems of the last attempt, one line each. */
  problems: string[];
  /** The session's CSRF token (shared/web/auth), when someone is logged in. */
  csrfToken?: string;
}

/** The form posting to `/orders`. */
export function OrderForm({ values, problems, csrfToken }: OrderFormProps) {
  return (
    <form method="post" action="/orders" class="order-form">
      {csrfToken && <input type="hidden" name={CSRF_FIELD} value={csrfToken} />}
      {problems.length > 0 && (
        <div class="problems" role="alert">
          <p>The order was not created:</p>
          <ul>
            {problems.map((problem) => <li key={problem}>{problem}</li>)}
          </ul>
        </div>
      )}
      <fieldset>
        <legend>Client</legend>
        <label>
          Id <input name="clientId" value={values.clientId} required maxLength={100} />
        </label>
        <label>
          Name <input name="clientName" value={values.clientName} required maxLength={200} />
        </label>
      </fieldset>
      <fieldset>
        <legend>Items</legend>
        {Array.from({ length: FORM_ITEM_ROWS }, (_, i) => (
          <div class="item-row" key={i}>
            <label>
              Product <input name={`items.${i}.productId`} value={values.items[i]?.productId} />
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
            <label>
              Unit price{" "}
              <input
                name={`items.${i}.price`}
                value={values.items[i]?.price}
                inputMode="decimal"
                size={9}
              />
            </label>
          </div>
        ))}
      </fieldset>
      <label>
        Total <input name="total" value={values.total} inputMode="decimal" size={10} />{" "}
        <small>(empty: the sum of the items)</small>
      </label>
      <p>
        <button type="submit">Create order</button>
      </p>
    </form>
  );
}
