/** Helpers of the console tests. */
import { MessageReader } from "../services/console/messages/message_reader.ts";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import type { Page } from "puppeteer-core";
import { TEST_PASSWORDS } from "./auth_helpers.ts";

/** The console's reader as the real `console` principal (local defaults), to inspect in tests. */
export function consoleReader(): MessageReader {
  return new MessageReader(createKafka(loadKafkaConfig("console", {}), { clientSuffix: "test" }));
}

/** Logs in through the login page `path` redirects to, and lands back on `path`. */
export async function logInThroughPage(
  page: Page,
  base: string,
  user: "viewer" | "operator",
  path: string,
): Promise<void> {
  await page.goto(`${base}${path}`);
  if (!/\/login\?next=/.test(page.url())) {
    throw new Error(`not sent to the login page: ${page.url()}`);
  }
  await page.type('input[name="name"]', user);
  await page.type('input[name="password"]', TEST_PASSWORDS[user]);
  await Promise.all([page.waitForNavigation(), page.click('.login-form button[type="submit"]')]);
  const landed = new URL(page.url());
  if (landed.pathname + landed.search !== path) throw new Error(`landed on ${page.url()}`);
}
