/**
 * `POST /api/alerts/test`: sends a test notification to every webhook
 * (FRESHET_ALERT_WEBHOOK_URL and each rule's) and answers each delivery as
 * its first attempt left it (operator, audited as `alerts.test`; 409 when
 * no webhook is configured).
 */
import type { Handlers, RouteAccess } from "../../../shared/web/mod.ts";
import { redactUrl, testAction } from "../../../services/alerts/web/alert_actions.ts";

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = { POST: { role: "operator", audit: "alerts.test" } };

/** POST: the test. */
export const handler: Handlers = {
  async POST(_req, ctx) {
    const deliveries = await testAction(ctx);
    return Response.json({
      deliveries: deliveries.map(({ body: _body, ...d }) => ({ ...d, url: redactUrl(d.url) })),
    });
  },
};
