/**
 * `/api/demands`: create a demand (POST) and list this doctor's demands (GET).
 *
 * POST takes the seed's demand `{id?, type, location: {lat, lng},
 * metadata: {priority}}` (JSON, or the `/demands` page's form fields) and
 * produces it to `demands.created` keyed by its id (a UUID when absent):
 * 201 with `{demand, topic, partition, offset}` (a form: 303 to the page);
 * 400 lists every problem `{path, message}`. The demand shows in the list
 * once the doctor's consumer has stored it (usually well under a second).
 * GET takes `?status=&priority=&type=&limit=&page=&sort=&dir=` (newest
 * first; `sort` received, priority, type or status) and answers `{doctor,
 * demands, counts, page, limit, total}` (`total`: the demands passing the
 * filter).
 */
import { createDemand } from "../../../services/demands/web/create_demand.ts";
import { countByStatus, countDemands, listDemands } from "../../../services/demands/doctor_db.ts";
import {
  doctorOf,
  isForm,
  listFilter,
  parseListQuery,
  readDemandBody,
} from "../../../services/demands/web/web.ts";
import { type Handlers, problemsResponse, type RouteAccess } from "../../../shared/web/mod.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the demands; POST: a new demand. */
export const handler: Handlers = {
  GET(_req, ctx) {
    const parsed = parseListQuery(ctx.url);
    if (!parsed.ok) return problemsResponse("invalid query", parsed.problems);
    const doctor = doctorOf(ctx.services);
    return Response.json({
      doctor: doctor.name,
      demands: listDemands(doctor.db, listFilter(parsed.query)),
      counts: countByStatus(doctor.db),
      page: parsed.query.page,
      limit: parsed.query.limit,
      total: countDemands(doctor.db, parsed.query),
    });
  },
  async POST(req, ctx) {
    const result = await createDemand(ctx.services, await readDemandBody(req));
    if (!result.ok) return problemsResponse("invalid demand", result.problems);
    const { demand } = result.created;
    if (isForm(req)) {
      return new Response(null, {
        status: 303,
        headers: { location: `/demands?created=${encodeURIComponent(demand.id)}` },
      });
    }
    return Response.json(result.created, {
      status: 201,
      headers: { location: `/api/demands/${encodeURIComponent(demand.id)}` },
    });
  },
};
