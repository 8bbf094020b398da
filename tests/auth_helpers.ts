/** Helpers of the login tests: known users, Basic headers, logging in through the form. */
import type { Hono } from "hono";
import { type AuthConfig, loadAuthConfig } from "../shared/web/auth/mod.ts";
import type { WebEnv } from "../shared/web/route_types.ts";

/** Passwords of the test users (never the defaults, so a test cannot pass by accident). */
export const TEST_PASSWORDS = { viewer: "viewer-test-pw", operator: "operator-test-pw" } as const;

/** Login settings for a test app: the test passwords, `mode` as given. */
export function testAuth(
  options: { mode?: "console" | "required"; allowedHosts?: string[]; boundHost?: string } = {},
): AuthConfig {
  return loadAuthConfig({
    FRESHET_AUTH: options.mode ?? "console",
    FRESHET_VIEWER_PASSWORD: TEST_PASSWORDS.viewer,
    FRESHET_OPERATOR_PASSWORD: TEST_PASSWORDS.operator,
    FRESHET_ALLOWED_HOSTS: options.allowedHosts?.join(","),
  }, { boundHost: options.boundHost ?? "127.0.0.1" });
}

/** An `Authorization: Basic` header for `user` (`viewer` or `operator`, or any name/password). */
export function basic(user: keyof typeof TEST_PASSWORDS, password?: string): HeadersInit {
  return { authorization: `Basic ${btoa(`${user}:${password ?? TEST_PASSWORDS[user]}`)}` };
}

/** A logged-in browser session: its cookie and CSRF token. */
export interface TestSession {
  cookie: string;
  csrfToken: string;
}

/** Logs in through the form (same-origin, as a browser would) and reads the session's token. */
export async function logIn(
  app: Hono<WebEnv>,
  user: keyof typeof TEST_PASSWORDS,
  origin = "http://127.0.0.1",
): Promise<TestSession> {
  const response = await app.fetch(
    new Request(`${origin}/login`, {
      method: "POST",
      headers: { origin },
      body: new URLSearchParams({ name: user, password: TEST_PASSWORDS[user], next: "/console" }),
    }),
  );
  await response.body?.cancel();
  if (response.status !== 303) throw new Error(`login as ${user} answered ${response.status}`);
  const cookie = response.headers.get("set-cookie")!.split(";")[0];
  const page = await (await app.fetch(new Request(`${origin}/console`, { headers: { cookie } })))
    .text();
  const csrfToken = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
  if (!csrfToken) throw new Error("the console page has no CSRF field");
  return { cookie, csrfToken };
}
