/**
 * Login settings from the environment. On a loopback host the domain
 * pages stay open (as before) and the console needs a login; bound to any
 * other host, everything but health, metrics and static files needs one,
 * and the server refuses to start while a password is still the published
 * default.
 */
import { z } from "zod";
import { ConfigError, parseEnv, positiveInt } from "../../core/config.ts";
import { isLoopbackHost } from "./loopback.ts";
import type { UserAccount } from "./users.ts";

/** Variables `loadAuthConfig` reads. */
export const AUTH_ENV_NAMES = [
  "FRESHET_AUTH",
  "FRESHET_VIEWER_PASSWORD",
  "FRESHET_OPERATOR_PASSWORD",
  "FRESHET_ALLOWED_HOSTS",
  "FRESHET_SESSION_HOURS",
] as const;

/** Local default passwords, documented in the README like the Kafka principals'. */
export const DEFAULT_PASSWORDS = { viewer: "viewer-secret", operator: "operator-secret" } as const;

/**
 * `console`: only the console needs a login (the domain pages are open, on
 * loopback only); `required`: every page and API but health, metrics and
 * static files needs one, and changes need the operator role.
 */
export type AuthMode = "console" | "required";

/** The app's login settings. */
export interface AuthConfig {
  mode: AuthMode;
  users: UserAccount[];
  /** Host names a request's `Host` may carry besides the bound host and loopback names. */
  allowedHosts: string[];
  /** The host the server listens on. */
  boundHost: string;
  /** How long a session lasts after login. */
  sessionTtlMs: number;
}

const hostName = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)$/;

const schema = z.object({
  FRESHET_AUTH: z.enum(["console", "required"], { error: "expected console or required" })
    .default("console"),
  FRESHET_VIEWER_PASSWORD: z.string().default(DEFAULT_PASSWORDS.viewer),
  FRESHET_OPERATOR_PASSWORD: z.string().default(DEFAULT_PASSWORDS.operator),
  FRESHET_ALLOWED_HOSTS: z.string().transform((value, ctx) => {
    const names = value.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean);
    if (names.some((n) => !hostName.test(n))) {
      ctx.addIssue({ code: "custom", message: "expected host names separated by commas" });
      return z.NEVER;
    }
    return names;
  }).default([]),
  FRESHET_SESSION_HOURS: positiveInt.max(24 * 30, "expected at most 720 hours").default(8),
});

/**
 * The settings for a server bound to `boundHost`. Throws `ConfigError`
 * (exit code 2 under `runMain`) for a malformed value, or for a default
 * password on a host other than loopback.
 */
export function loadAuthConfig(
  env: Record<string, string | undefined>,
  options: { boundHost: string },
): AuthConfig {
  const parsed = parseEnv(schema, env);
  const loopback = isLoopbackHost(options.boundHost);
  if (!loopback) {
    const defaults = [
      ["FRESHET_VIEWER_PASSWORD", parsed.FRESHET_VIEWER_PASSWORD === DEFAULT_PASSWORDS.viewer],
      [
        "FRESHET_OPERATOR_PASSWORD",
        parsed.FRESHET_OPERATOR_PASSWORD === DEFAULT_PASSWORDS.operator,
      ],
    ].filter(([, isDefault]) => isDefault).map(([name]) => name);
    if (defaults.length > 0) {
      throw new ConfigError(
        defaults.map((name) =>
          `${name}: the server binds ${options.boundHost}, which is not loopback; ` +
          "set a password of your own (the default is published in the README)"
        ),
      );
    }
  }
  return {
    mode: loopback ? parsed.FRESHET_AUTH : "required",
    users: [
      { name: "viewer", role: "viewer", password: parsed.FRESHET_VIEWER_PASSWORD },
      { name: "operator", role: "operator", password: parsed.FRESHET_OPERATOR_PASSWORD },
    ],
    allowedHosts: parsed.FRESHET_ALLOWED_HOSTS,
    boundHost: options.boundHost,
    sessionTtlMs: parsed.FRESHET_SESSION_HOURS * 3_600_000,
  };
}
