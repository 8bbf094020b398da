/**
 * Alerts (issue 21): rules in alerts.txt on the monitor's lag and status,
 * dead letters, the server's consumers, the cluster's partitions and
 * brokers, evaluated in the web server, notified to webhooks (Freshet's
 * JSON or Slack's body) with de-duplication, repeats, silences and a
 * history in its own SQLite; `/alerts`, and each group's objective and
 * error budget on its page. See docs/operate.md.
 */
import { defineService } from "../../shared/service/define_service.ts";
import { ALERTS_WEB_ENV, alertsWeb } from "./web/alerts_part.ts";

export { alertsWeb } from "./web/alerts_part.ts";
export { alertWebhookHosts } from "./web/webhook_hosts.ts";

/** The alerts service. */
export const alertsService = defineService({
  name: "alerts",
  description: "Alert rules (alerts.txt) on lag, status, dead letters, consumers and the cluster.",
  web: {
    env: ALERTS_WEB_ENV,
    parts: [alertsWeb],
    nav: [{
      href: "/alerts",
      label: "Alerts",
      description:
        "Alert rules and their state, silences and notification history (alerts.txt, webhooks).",
    }],
  },
});
