/**
 * Validation of a new demand (`POST /api/demands`, the `/demands` form,
 * the producer CLI) with `newDemandSchema`: every problem is reported with
 * its field's path; a valid demand gets an id (a UUID) when it has none
 * and takes exactly the seed's shape `{id, type, location:{lat,lng},
 * metadata:{priority}}` (other fields are dropped).
 */
import type { z } from "zod";
import { type Demand, newDemandSchema } from "./demand.ts";
import type { Problem } from "./web/demand_form.ts";

/** The outcome of `parseNewDemand`. */
export type NewDemandResult =
  | { ok: true; demand: Demand }
  | { ok: false; problems: Problem[] };

const SHAPE = "expected a JSON object {id?, type, location: {lat, lng}, metadata: {priority}}";

/** Each zod issue as `{path, message}`; a missing field says so, the whole body is `body`. */
export function toProblems(error: z.ZodError): Problem[] {
  return error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.join(".") : "body";
    if (path === "body") return { path, message: SHAPE };
    if (issue.code === "invalid_type") {
      const missing = (issue as { input?: unknown }).input === undefined;
      if (missing) return { path, message: "is required" };
      if (issue.message.startsWith("Invalid input")) {
        return { path, message: `expected ${article(issue.expected)}` };
      }
    }
    return { path, message: issue.message };
  });
}

function article(expected: string): string {
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/**
 * Exactly the seed's payload of a parsed demand, in the seed's key order.
 * Fields the seed does not have (extra `metadata` keys too) are not sent:
 * what Freshet produces is the contract, nothing more.
 */
export function seedPayload(demand: Demand): Demand {
  return {
    id: demand.id,
    type: demand.type,
    location: { lat: demand.location.lat, lng: demand.location.lng },
    metadata: { priority: demand.metadata.priority },
  };
}

/** Validates `input`; fills a missing id with `newId()` (a random UUID). */
export function parseNewDemand(
  input: unknown,
  newId: () => string = () => crypto.randomUUID(),
): NewDemandResult {
  const result = newDemandSchema.safeParse(input, { reportInput: true });
  if (!result.success) return { ok: false, problems: toProblems(result.error) };
  return { ok: true, demand: seedPayload({ ...result.data, id: result.data.id ?? newId() }) };
}
