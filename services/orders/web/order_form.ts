/**
 * The `/orders` page's order form, which works without JavaScript: a
 * client picked from the registered ones and a fixed number of rows, each
 * a registered product and a quantity (rows without a product are
 * skipped). Prices come from the catalogue and the total is their sum;
 * the result is the same seed-shaped input as `POST /v1/orders`, checked
 * by `resolveCatalogOrder`.
 */
import { toCents } from "../money.ts";
import type { Product } from "../product.ts";

/** Item rows the form shows. */
export const FORM_ITEM_ROWS = 3;

/** What the form's fields held, to show them again next to the problems. */
export interface OrderFormValues {
  clientId: string;
  items: { productId: string; quantity: string }[];
}

/** An empty form, with `clientId` and the first row's product preselected when given. */
export function emptyOrderForm(preselect: { clientId?: string; productId?: string } = {}) {
  return {
    clientId: preselect.clientId ?? "",
    items: Array.from({ length: FORM_ITEM_ROWS }, (_, i) => ({
      productId: i === 0 ? preselect.productId ?? "" : "",
      quantity: "1",
    })),
  } satisfies OrderFormValues;
}

/** A form field's trimmed text ("" when absent). */
export function formField(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** A number typed by a person (`4500,00` too); NaN when it is not one. */
export function typedNumber(value: string): number {
  return value === "" ? NaN : Number(value.replace(",", "."));
}

/** The form's fields. */
export function readOrderForm(form: FormData): OrderFormValues {
  return {
    clientId: formField(form, "clientId"),
    items: Array.from({ length: FORM_ITEM_ROWS }, (_, i) => ({
      productId: formField(form, `items.${i}.productId`),
      quantity: formField(form, `items.${i}.quantity`),
    })),
  };
}

/**
 * The form as a `POST /v1/orders` body, prices and total from the
 * catalogue; or the problems found before that (nothing picked, a product
 * that does not exist).
 */
export function orderInputFromForm(
  values: OrderFormValues,
  productOf: (id: string) => Product | undefined,
): { ok: true; input: unknown } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  if (values.clientId === "") problems.push("client: pick a client");
  const items = values.items.flatMap((row, i) => {
    if (row.productId === "") return [];
    const product = productOf(row.productId);
    if (!product) {
      problems.push(`items.${i}.productId: no product ${JSON.stringify(row.productId)}`);
      return [];
    }
    return [{ productId: product.id, quantity: typedNumber(row.quantity), price: product.price }];
  });
  if (values.items.every((row) => row.productId === "")) {
    problems.push("items: pick at least one product");
  }
  if (problems.length > 0) return { ok: false, problems };
  // The sum of the rows that hold numbers: a mistyped quantity is reported once, on its row.
  const totalCents = items.filter((i) => Number.isInteger(i.quantity))
    .reduce((sum, i) => sum + i.quantity * toCents(i.price), 0);
  return { ok: true, input: { clientId: values.clientId, items, total: totalCents / 100 } };
}

/** The problems to show: the total is computed, so its problems are the items' and already listed. */
export function formProblems(problems: string[]): string[] {
  return problems.filter((p) => !p.startsWith("total:"));
}
