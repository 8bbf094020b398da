/**
 * A doctor's decision on a demand from the web (`POST
 * /api/demands/:id/assume|ignore`, the page's buttons): assume writes the
 * status and its `demands.assumed` event (outbox) in one transaction,
 * ignore only the status. A change is announced on the bus so open pages
 * follow at once.
 */
import type { WebServices } from "../../../shared/web/mod.ts";
import { assumeDemand, type DecisionResult, ignoreDemand } from "../doctor_db.ts";
import { announce, demandTopics, doctorOf } from "./web.ts";

/** What a doctor can decide. */
export type DemandAction = "assume" | "ignore";

/** Whether `value` is an action. */
export function isDemandAction(value: unknown): value is DemandAction {
  return value === "assume" || value === "ignore";
}

/**
 * Applies `action` to demand `id` for this server's doctor. A retried
 * assume answers ok without a second event (`eventId` absent) and without
 * a second note.
 */
export function decide(services: WebServices, id: string, action: DemandAction): DecisionResult {
  const doctor = doctorOf(services);
  const result = action === "assume"
    ? assumeDemand(doctor.db, doctor.name, id, demandTopics(services).assumed)
    : ignoreDemand(doctor.db, id);
  if (result.ok && (action === "ignore" || result.eventId)) {
    announce("updated", doctor.name, result.demand);
  }
  return result;
}
