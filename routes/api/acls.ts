/**
 * `GET /api/acls?principal=&diff=1`: the broker's ACLs by principal, each
 * marked ok / missing / extra against kafka-acls.txt, and the SCRAM users
 * the broker knows (viewer).
 */
import type { Handlers, RouteAccess } from "../../shared/web/mod.ts";
import { loadAclsView, parseAclsQuery } from "../../services/console/acls/acls_view.ts";
import { consoleHttpError } from "../../services/console/kafka_http_error.ts";
import { consoleWeb } from "../../services/console/web/console_part.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { GET: "viewer" };

/** GET: the comparison. */
export const handler: Handlers = {
  async GET(_req, ctx) {
    const view = await loadAclsView(ctx.services.part(consoleWeb).kafka, {
      topicPrefix: ctx.services.topicPrefix,
      principals: ctx.services.principals,
      query: parseAclsQuery(ctx.url),
    }).catch((e) => {
      throw consoleHttpError(e, "describing ACLs");
    });
    return Response.json(view, { headers: { "cache-control": "no-store" } });
  },
};
