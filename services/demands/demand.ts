/**
 * The demand of seed 000 (OnDuty): `{id, type, location:{lat,lng},
 * metadata:{priority}}`, exactly as OnDutyNow, kcat or the REST Proxy send
 * it, and the `demands.assumed` event `{id, doctor, assumedAt}`.
 */
import { z } from "zod";

/** Topic of new demands. */
export const DEMANDS_CREATED = "demands.created";
/** Topic of demands taken by a doctor. */
export const DEMANDS_ASSUMED = "demands.assumed";

/** Priorities shown and filtered in the UI; other strings are accepted as-is. */
export const KNOWN_PRIORITIES = ["low", "medium", "high", "critical"] as const;

/** A demand as produced to `demands.created`. */
export const demandSchema = z.object({
  id: z.string().trim().min(1, "must not be empty").max(200, "must be at most 200 characters"),
  type: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
  location: z.object({
    lat: z.number({ error: "expected a number" }).min(-90, "must be ≥ -90").max(90, "must be ≤ 90"),
    lng: z.number({ error: "expected a number" }).min(-180, "must be ≥ -180").max(
      180,
      "must be ≤ 180",
    ),
  }),
  metadata: z.looseObject({
    priority: z.string().trim().min(1, "must not be empty").max(
      50,
      "must be at most 50 characters",
    ),
  }),
});

/** A demand as produced to `demands.created`. */
export type Demand = z.infer<typeof demandSchema>;

/** The same, with the id optional: the server fills it in (POST /api/demands). */
export const newDemandSchema = demandSchema.extend({ id: demandSchema.shape.id.optional() });

/** The `demands.assumed` event. */
export const demandAssumedSchema = z.object({
  id: z.string().min(1),
  doctor: z.string().min(1),
  assumedAt: z.string().datetime({ offset: true }),
});

/** The `demands.assumed` event. */
export type DemandAssumed = z.infer<typeof demandAssumedSchema>;
