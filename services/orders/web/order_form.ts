/**
 * The `/orders` page's form, which works without JavaScript: a client,
 * a fixed number of item rows (empty rows are skipped) and an optional
 * total (the items' sum when left empty). Turned into the same input as
 * `POST /api/orders`, so both are validated by `parseNewOrder`.
 */
import { toCents } from "../money.ts";

/** Item rows the form shows. */
export const FORM_ITEM_ROWS = 3;

/** What the form's fields held, to show them again next to the problems. */
export interface OrderFormValues {
  clientId: string;
  clientName: string;
  items: { productId: string; quantity: string; price: string }[];
  total: string;
}

/** An empty form. */
export function emptyOrderForm(): OrderFormValues {
  return {
    clientId: "",
    clientName: "",
    items: Array.from(
      { length: FORM_ITEM_ROWS },
      () => ({ productId: "", quantity: "", price: "" }),
    ),
    total: "",
  };
}

/** The form's fields. */
export function readOrderForm(form: FormData): OrderFormValues {
  const field = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value.trim() : "";
  };
  return {
    clientId: field("clientId"),
    clientName: field("clientName"),
    items: Array.from({ length: FORM_ITEM_ROWS }, (_, i) => ({
      productId: field(`items.${i}.productId`),
      quantity: field(`items.${i}.quantity`),
      price: field(`items.${i}.price`),
    })),
    total: field("total"),
  };
}

/** A number typed by a person (`4500,00` too); NaN when it is not one. */
function typedNumber(value: string): number {
  return value === "" ? NaN : Number(value.replace(",", "."));
}

/** The form as a `POST /api/orders` body. */
export function orderInputFromForm(values: OrderFormValues): unknown {
  const items = values.items
    .filter((i) => i.productId !== "" || i.quantity !== "" || i.price !== "")
    .map((i) => ({
      productId: i.productId,
      quantity: typedNumber(i.quantity),
      price: typedNumber(i.price),
    }));
  // An empty total means "the sum": of the rows that hold numbers, so a
  // mistyped row is reported once (on the row), not again on the total.
  const sumCents = items
    .filter((i) => Number.isFinite(i.quantity) && Number.isFinite(i.price))
    .reduce((s, i) => s + i.quantity * toCents(i.price), 0);
  return {
    client: { id: values.clientId, name: values.clientName },
    items,
    total: values.total === "" ? sumCents / 100 : typedNumber(values.total),
  };
}

/**
 * The problems to show next to the form: with the total left empty (the
 * items' sum), a problem of the total is one of the items, already listed.
 */
export function formProblems(values: OrderFormValues, problems: string[]): string[] {
  return values.total === "" ? problems.filter((p) => !p.startsWith("total:")) : problems;
}
