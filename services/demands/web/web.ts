/**
 * What the demand routes share: this server's doctor and its database as
 * the web server opens it, bus notes, request parsing, and the 409 answer
 * naming the current status.
 */
import { z } from "zod";
import { publish } from "../../../shared/bus/bus.ts";
import type { DatabaseSync } from "../../../shared/sqlite/sqlite.ts";
import { TOPIC_PREFIX_ENV, topicName } from "../../../shared/kafka/names.ts";
import { HttpError, readJsonBody, type WebServices } from "../../../shared/web/mod.ts";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../demand.ts";
import { demandInputFromForm, type Problem, readDemandForm } from "./demand_form.ts";
import { DEMAND_STATUSES, type DemandFilterValues, DEMANDS_BUS_TOPIC } from "../demand_view.ts";
import { DEMAND_SORTS, type DemandRow, type DemandSort, DOCTOR_MIGRATIONS } from "../doctor_db.ts";
import { doctorConfig } from "../doctor_config.ts";
import { toProblems } from "../new_demand.ts";

/** This server's doctor: its name and database (opened once; its consumer Worker relays the outbox). */
export function doctorOf(services: WebServices): { name: string; db: DatabaseSync } {
  const doctor = doctorConfig();
  return { name: doctor.name, db: services.databases.get(doctor.consumerName, DOCTOR_MIGRATIONS) };
}

/** The demand topics under the app's prefix. */
export function demandTopics(services: WebServices): { created: string; assumed: string } {
  const env = { [TOPIC_PREFIX_ENV]: services.topicPrefix };
  return { created: topicName(env, DEMANDS_CREATED), assumed: topicName(env, DEMANDS_ASSUMED) };
}

/** Announces a change of this doctor's demand to open pages (same note as the doctor consumer's). */
export function announce(type: "created" | "updated", doctor: string, demand: DemandRow): void {
  publish(DEMANDS_BUS_TOPIC, type, { doctor, demand });
}

/** 409 naming the demand's current status. */
export function conflictResponse(demand: DemandRow): Response {
  const message = `demand ${demand.id} is ${demand.status}${
    demand.assignedTo ? ` (assumed by ${demand.assignedTo})` : ""
  }: only a pending demand can be assumed or ignored`;
  return Response.json({
    error: { status: 409, message, current: demand.status, assignedTo: demand.assignedTo },
  }, { status: 409 });
}

/** 404 for an id this doctor has not received. */
export function notFound(id: string): HttpError {
  return new HttpError(404, `no demand ${id}`);
}

/** Whether the request carries an HTML form. */
export function isForm(req: Request): boolean {
  const type = req.headers.get("content-type") ?? "";
  return type.startsWith("application/x-www-form-urlencoded") ||
    type.startsWith("multipart/form-data");
}

/** A new demand's body: JSON, or the page's form fields as the same shape. 400 when unreadable. */
export async function readDemandBody(req: Request): Promise<unknown> {
  if (isForm(req)) {
    const form = await req.formData().catch(() => {
      throw new HttpError(400, "the form could not be read");
    });
    return demandInputFromForm(readDemandForm(form));
  }
  return await readJsonBody(req);
}

/** Largest `limit` of `GET /api/demands`. */
export const MAX_LIMIT = 1000;

const optionalText = (max: number) =>
  z.string().trim().max(max, `must be at most ${max} characters`).optional();

const listQuerySchema = z.object({
  status: z.enum(DEMAND_STATUSES as [string, ...string[]], {
    error: `expected one of ${DEMAND_STATUSES.join(", ")}`,
  }).optional(),
  priority: optionalText(50),
  type: optionalText(100),
  limit: z.coerce.number({ error: "expected a number" }).int("expected a whole number")
    .min(1, "must be at least 1").max(MAX_LIMIT, `must be at most ${MAX_LIMIT}`).default(100),
  page: z.coerce.number({ error: "expected a number" }).int("expected a whole number")
    .min(1, "must be at least 1").default(1),
  sort: z.enum(DEMAND_SORTS, { error: `expected one of ${DEMAND_SORTS.join(", ")}` }).optional(),
  dir: z.enum(["asc", "desc"], { error: "expected asc or desc" }).optional(),
});

/** A list query: the filter, the sort and the page (`limit` rows from row `(page - 1) * limit`). */
export interface ListQuery extends DemandFilterValues {
  limit: number;
  page: number;
  sort?: DemandSort;
}

/** The store's filter for `query`, with its page's offset. */
export function listFilter(query: ListQuery) {
  return { ...query, offset: (query.page - 1) * query.limit };
}

/** `?status=&priority=&type=&limit=&page=&sort=&dir=` of `url` (empty values: no filter). */
export function parseListQuery(url: URL): { ok: true; query: ListQuery } | {
  ok: false;
  problems: Problem[];
} {
  const raw = Object.fromEntries(
    ["status", "priority", "type", "limit", "page", "sort", "dir"].flatMap((name) => {
      const value = url.searchParams.get(name)?.trim();
      return value === undefined || value === "" ? [] : [[name, value]];
    }),
  );
  const result = listQuerySchema.safeParse(raw, { reportInput: true });
  if (!result.success) return { ok: false, problems: toProblems(result.error) };
  return { ok: true, query: result.data as ListQuery };
}
