/**
 * A client of the orders service, as seed 001's step 4 registers it:
 * `POST /v1/clients {name, email, phone, cpf}`. The CPF is kept as its 11
 * digits (`123.456.789-01` is accepted and stored as `12345678901`); check
 * digits are not verified, as the seed's own example has none.
 */
import { z } from "zod";
import { text } from "./fields.ts";
import { issueLines } from "./new_order.ts";

/** A registered client. */
export interface Client {
  id: string;
  name: string;
  email: string;
  phone: string;
  /** 11 digits. */
  cpf: string;
  createdAt: string;
}

const phoneDigits = (phone: string) => phone.replace(/\D/g, "").length;

/** A new client as posted. */
export const newClientSchema = z.object({
  name: text(200),
  email: z.string({ error: "expected a string" }).trim().max(254, "must be at most 254 characters")
    .pipe(z.email({ error: "expected an e-mail address" })),
  phone: z.string({ error: "expected a string" }).trim()
    .regex(/^\+?[\d\s().-]+$/, "expected a phone number, e.g. 11999999999")
    .refine((p) => phoneDigits(p) >= 8 && phoneDigits(p) <= 15, "expected 8 to 15 digits"),
  cpf: z.string({ error: "expected a string of 11 digits" })
    .transform((cpf) => cpf.replace(/[\s.-]/g, ""))
    .pipe(z.string().regex(/^\d{11}$/, "expected 11 digits, e.g. 12345678901")),
}, { error: "expected a JSON object {name, email, phone, cpf}" });

/** A valid new client. */
export type NewClient = z.infer<typeof newClientSchema>;

/** Validates `input`; on failure lists every problem. */
export function parseNewClient(
  input: unknown,
): { ok: true; client: NewClient } | { ok: false; problems: string[] } {
  const result = newClientSchema.safeParse(input);
  return result.success
    ? { ok: true, client: result.data }
    : { ok: false, problems: issueLines(result.error) };
}
