/** Form request bodies, for the pages' POST handlers. */
import { HttpError } from "./http_error.ts";

/** The request's form; 400 when the body is not one. */
export async function readForm(req: Request): Promise<FormData> {
  return await req.formData().catch(() => {
    throw new HttpError(400, "expected a form");
  });
}

/**
 * A form's text fields by name, its CSRF token left out; with `only`, just
 * those names, the empty ones dropped.
 */
export function formValues(form: FormData, only?: readonly string[]): Record<string, string> {
  const values: Record<string, string> = {};
  if (only) {
    for (const name of only) {
      const value = form.get(name);
      if (typeof value === "string" && value !== "") values[name] = value;
    }
    return values;
  }
  for (const [name, value] of form) {
    if (typeof value === "string" && name !== "_csrf") values[name] = value;
  }
  return values;
}
