/**
 * Webhooks as they are written (FRESHET_ALERT_WEBHOOK_URL, a rule's
 * `webhook=`): a URL, `slack:` in front for Slack's body (a URL on
 * hooks.slack.com gets it anyway), comma-separated for several.
 */
import type { Webhook } from "./rule.ts";

/** The webhook `text` names, or why it is not one. */
export function parseWebhook(text: string): Webhook | string {
  const slack = text.startsWith("slack:");
  const raw = slack ? text.slice("slack:".length) : text;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `not a URL: ${JSON.stringify(raw)}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `a webhook must be http or https, not ${url.protocol} (${JSON.stringify(raw)})`;
  }
  return { url: url.href, format: slack || url.hostname === "hooks.slack.com" ? "slack" : "json" };
}

/** The webhooks of a comma-separated list, and the problems with it. */
export function parseWebhookList(text: string): { webhooks: Webhook[]; problems: string[] } {
  const webhooks: Webhook[] = [];
  const problems: string[] = [];
  for (const part of text.split(",").map((s) => s.trim()).filter((s) => s !== "")) {
    const parsed = parseWebhook(part);
    if (typeof parsed === "string") problems.push(parsed);
    else webhooks.push(parsed);
  }
  return { webhooks, problems };
}

/** `host:port` of a webhook, as a network grant names it. */
export function webhookHost(webhook: Webhook): string {
  const url = new URL(webhook.url);
  return `${url.hostname}:${url.port || (url.protocol === "https:" ? "443" : "80")}`;
}
