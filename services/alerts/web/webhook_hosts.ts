/**
 * The hosts the web server must reach to deliver notifications: those of
 * FRESHET_ALERT_WEBHOOK_URL and of every rule's `webhook=` in alerts.txt.
 * The launcher (tasks/programs.ts) adds them to the server's network
 * grant, as it adds the Schema Registry's and the OpenID provider's.
 */
import { parseRules } from "../rules/rules_file.ts";
import { DEFAULT_RULES_FILE } from "../rules/rules_file.ts";
import { parseWebhookList, webhookHost } from "../rules/webhooks.ts";

/** `host:port` of every webhook configured (a rules file that does not parse adds none). */
export function alertWebhookHosts(
  env: Record<string, string | undefined>,
  rulesFile: URL | string = DEFAULT_RULES_FILE,
): string[] {
  const hosts = parseWebhookList(env.FRESHET_ALERT_WEBHOOK_URL ?? "").webhooks.map(webhookHost);
  try {
    for (const rule of parseRules(Deno.readTextFileSync(rulesFile))) {
      hosts.push(...rule.webhooks.map(webhookHost));
    }
  } catch { /* the server names the file's problems when it starts */ }
  return [...new Set(hosts)];
}
