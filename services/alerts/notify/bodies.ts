/**
 * What a webhook receives. Freshet's JSON body (`json`) carries
 * everything a receiver needs to route and de-duplicate: the status
 * (`firing`, `resolved`, `test`), the rule and its kind, the instance, the
 * severity, a one-line summary, the details, when the alert started and
 * ended, and `dedupKey` — `<rule>/<instance>/<episode>`, the same for an
 * episode's firing, repeats and resolution, so a receiver (or a retried
 * delivery) never counts one episode twice. Slack's body (`slack`, also
 * Mattermost's and Rocket.Chat's incoming webhooks) is one `text` line.
 */
import type { Webhook } from "../rules/rule.ts";

/** A notification, before it is shaped for a receiver. */
export interface Notification {
  status: "firing" | "resolved" | "test";
  rule: string;
  kind: string;
  instance: string;
  severity: string;
  summary: string;
  details: Record<string, unknown>;
  /** When the episode began to fire (ISO), for firing and resolved. */
  startsAt: string | null;
  /** When it resolved (ISO), for resolved. */
  endsAt: string | null;
  /** When this notification was made (ISO). */
  at: string;
  dedupKey: string;
  /** 0 for the first firing notification of an episode, n for its n-th repeat. */
  repeat: number;
  /** The alerts page, when the server knows its public URL. */
  link?: string;
}

/** The generic JSON body. */
export function jsonBody(n: Notification): Record<string, unknown> {
  return { version: 1, source: "freshet", ...n };
}

const ICONS = { firing: ":red_circle:", resolved: ":large_green_circle:", test: ":white_circle:" };

/** Slack's incoming-webhook body. */
export function slackBody(n: Notification): { text: string } {
  const label = n.status === "firing"
    ? `FIRING${n.repeat > 0 ? ` (still, #${n.repeat + 1})` : ""}`
    : n.status.toUpperCase();
  const link = n.link ? ` <${n.link}|alerts>` : "";
  return {
    text: `${
      ICONS[n.status]
    } [${label}] ${n.rule} (${n.severity}) · ${n.instance}: ${n.summary}${link}`,
  };
}

/** The body `webhook` receives for `n`, as JSON text. */
export function bodyFor(webhook: Webhook, n: Notification): string {
  return JSON.stringify(webhook.format === "slack" ? slackBody(n) : jsonBody(n));
}
