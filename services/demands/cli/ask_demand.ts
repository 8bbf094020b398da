/**
 * The demands producer CLI's interactive mode: asks for each field of a
 * demand, checks each answer with the demand's zod schema as it comes, and
 * asks again, after one clear line saying what is wrong, when it does not
 * fit. The assembled demand goes through `parseNewDemand` like any other.
 */
import type { z } from "zod";
import type { Ask } from "../../../shared/cli/ask.ts";
import { type Demand, demandSchema, KNOWN_PRIORITIES } from "../demand.ts";
import { typedNumber } from "../web/demand_form.ts";
import { parseNewDemand } from "../new_demand.ts";

type Answer<T> = { ok: true; value: T } | { ok: false; error: string };

/** One question and how its answer is read. */
interface Field<T> {
  question: string;
  read(text: string): Answer<T>;
}

const shape = demandSchema.shape;

function checked<T>(label: string, schema: z.ZodType<T>, value: unknown, text: string): Answer<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const reason = result.error.issues[0].message;
  return { ok: false, error: `${label}: ${reason} (got ${JSON.stringify(text)})` };
}

/** A text field; an empty answer is `empty()` when given (a default, or "" to quit). */
function textField(
  question: string,
  label: string,
  schema: z.ZodType<string>,
  empty?: () => string,
): Field<string> {
  return {
    question,
    read: (text) =>
      text.trim() === "" && empty
        ? { ok: true, value: empty() }
        : checked(label, schema, text, text),
  };
}

/** A number field (`-22.9`, or `-22,9` with a decimal comma). */
function numberField(
  question: string,
  label: string,
  schema: z.ZodType<number>,
  example: string,
): Field<number> {
  return {
    question,
    read(text) {
      const value = typedNumber(text);
      if (Number.isNaN(value)) {
        return {
          ok: false,
          error: `${label}: expected a number, e.g. ${example} (got ${JSON.stringify(text)})`,
        };
      }
      return checked(label, schema, value, text);
    },
  };
}

/** Asks `field` until its answer fits; null at the end of input. */
async function askField<T>(
  ask: Ask,
  field: Field<T>,
  report: (line: string) => void,
): Promise<T | null> {
  for (;;) {
    const text = await ask(field.question);
    if (text === null) return null;
    const answer = field.read(text);
    if (answer.ok) return answer.value;
    report(answer.error);
  }
}

/**
 * Asks for one demand; each problem goes to `report`. Resolves to null
 * when the person is done: an empty type, or the end of input (Ctrl-D, or
 * the end of a pipe).
 */
export async function askDemand(
  ask: Ask,
  report: (line: string) => void,
  newId: () => string = () => crypto.randomUUID(),
): Promise<Demand | null> {
  const fields = {
    type: textField("Type (e.g. emergency; empty quits):", "type", shape.type, () => ""),
    priority: textField(
      `Priority (${KNOWN_PRIORITIES.join(", ")}; empty: medium):`,
      "priority",
      shape.metadata.shape.priority,
      () => "medium",
    ),
    lat: numberField("Latitude (-90 to 90):", "latitude", shape.location.shape.lat, "-22.9"),
    lng: numberField("Longitude (-180 to 180):", "longitude", shape.location.shape.lng, "-43.2"),
    id: textField("Id (empty: a new UUID):", "id", shape.id, newId),
  };
  const type = await askField(ask, fields.type, report);
  if (!type) return null;
  const priority = await askField(ask, fields.priority, report);
  if (priority === null) return null;
  const lat = await askField(ask, fields.lat, report);
  if (lat === null) return null;
  const lng = await askField(ask, fields.lng, report);
  if (lng === null) return null;
  const id = await askField(ask, fields.id, report);
  if (id === null) return null;
  const parsed = parseNewDemand({ id, type, location: { lat, lng }, metadata: { priority } });
  if (!parsed.ok) {
    // Each field passed the same schema, so this means the schema and this file disagree.
    throw new Error(`demand refused: ${JSON.stringify(parsed.problems)}`);
  }
  return parsed.demand;
}
