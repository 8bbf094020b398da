/**
 * The handler of `POST /api/demands/:id/assume` and `/ignore`: one
 * factory, so both answer alike (200 with the demand, 404, 409 with the
 * current status).
 */
import type { Handlers } from "../../../shared/web/mod.ts";
import { decide, type DemandAction } from "./decide.ts";
import { conflictResponse, notFound } from "./web.ts";

/** Handlers applying `action` to the demand of the path. */
export function decisionHandler(action: DemandAction): Handlers {
  return {
    POST(_req, ctx) {
      const result = decide(ctx.services, ctx.params.id, action);
      if (result.ok) return Response.json(result.demand);
      if (result.reason === "not_found") throw notFound(ctx.params.id);
      return conflictResponse(result.demand);
    },
  };
}
