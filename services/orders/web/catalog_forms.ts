/**
 * The `/orders` page's forms registering a client and a product (plain
 * HTML forms, no JavaScript needed), turned into the same input as
 * `POST /v1/clients` and `POST /v1/products`.
 */
import { formField, typedNumber } from "./order_form.ts";

/** What the client form's fields held. */
export interface ClientFormValues {
  name: string;
  email: string;
  phone: string;
  cpf: string;
}

/** What the product form's fields held. */
export interface ProductFormValues {
  name: string;
  description: string;
  price: string;
  quantity: string;
}

/** An empty client form. */
export function emptyClientForm(): ClientFormValues {
  return { name: "", email: "", phone: "", cpf: "" };
}

/** An empty product form. */
export function emptyProductForm(): ProductFormValues {
  return { name: "", description: "", price: "", quantity: "" };
}

/** The client form's fields (also the `POST /v1/clients` body). */
export function readClientForm(form: FormData): ClientFormValues {
  return {
    name: formField(form, "name"),
    email: formField(form, "email"),
    phone: formField(form, "phone"),
    cpf: formField(form, "cpf"),
  };
}

/** The product form's fields. */
export function readProductForm(form: FormData): ProductFormValues {
  return {
    name: formField(form, "name"),
    description: formField(form, "description"),
    price: formField(form, "price"),
    quantity: formField(form, "quantity"),
  };
}

/** The product form as a `POST /v1/products` body. */
export function productInputFromForm(values: ProductFormValues): unknown {
  return { ...values, price: typedNumber(values.price), quantity: typedNumber(values.quantity) };
}
