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
import { type AuditRetention, DEFAULT_AUDIT_RETENTION } from "./audit_retention.ts";
import { TrustedProxies } from "./trusted_proxies.ts";
import { loadOidcConfig, OIDC_ENV_NAMES, type OidcConfig } from "./oidc/oidc_config.ts";

/** Variables `loadAuthConfig` reads. */
export const AUTH_ENV_NAMES = [
  "FRESHET_AUTH",
  "FRESHET_VIEWER_PASSWORD",
  "FRESHET_OPERATOR_PASSWORD",
  "FRESHET_ALLOWED_HOSTS",
  "FRESHET_SESSION_HOURS",
  "FRESHET_PUBLIC_URL",
  "FRESHET_TRUSTED_PROXIES",
  "FRESHET_AUDIT_MAX_AGE_DAYS",
  "FRESHET_AUDIT_MAX_ENTRIES",
  "FRESHET_AUDIT_MAX_FAILED_LOGINS",
  ...OIDC_ENV_NAMES,
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
  /**
   * The origin users reach the app at behind a proxy (`FRESHET_PUBLIC_URL`,
   * e.g. `https://freshet.example.com`): the origin of every request, so
   * the session cookie gets `Secure` and the CSRF check expects it.
   */
  publicOrigin?: string;
  /** Proxies whose `X-Forwarded-Proto/Host/For` are believed (`FRESHET_TRUSTED_PROXIES`). */
  trustedProxies: TrustedProxies;
  /** How much history the audit log keeps. */
  audit: AuditRetention;
  /** Single sign-on with an OpenID Connect provider, when configured. */
  oidc?: OidcConfig;
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
  FRESHET_PUBLIC_URL: z.string().transform((value, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    if (
      !url || (url.protocol !== "https:" && url.protocol !== "http:") || url.username ||
      url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== "")
    ) {
      ctx.addIssue({
        code: "custom",
        message: "expected the origin users reach the app at, e.g. https://freshet.example.com " +
          "(no path: the app is served at the root)",
      });
      return z.NEVER;
    }
    return url.origin;
  }).optional(),
  FRESHET_TRUSTED_PROXIES: z.string().transform((value, ctx) => {
    try {
      return new TrustedProxies(value.split(",").map((s) => s.trim()).filter(Boolean));
    } catch (error) {
      ctx.addIssue({
        code: "custom",
        message: `${
          (error as Error).message
        } (expected addresses or CIDR blocks separated by commas)`,
      });
      return z.NEVER;
    }
  }).default(new TrustedProxies([])),
  FRESHET_AUDIT_MAX_AGE_DAYS: positiveInt.default(DEFAULT_AUDIT_RETENTION.maxAgeDays),
  FRESHET_AUDIT_MAX_ENTRIES: positiveInt.default(DEFAULT_AUDIT_RETENTION.maxEntries),
  FRESHET_AUDIT_MAX_FAILED_LOGINS: positiveInt.default(DEFAULT_AUDIT_RETENTION.maxFailedLogins),
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
  const oidc = loadOidcConfig(env);
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
    allowedHosts: parsed.FRESHET_PUBLIC_URL
      ? [...parsed.FRESHET_ALLOWED_HOSTS, new URL(parsed.FRESHET_PUBLIC_URL).hostname]
      : parsed.FRESHET_ALLOWED_HOSTS,
    boundHost: options.boundHost,
    sessionTtlMs: parsed.FRESHET_SESSION_HOURS * 3_600_000,
    publicOrigin: parsed.FRESHET_PUBLIC_URL,
    trustedProxies: parsed.FRESHET_TRUSTED_PROXIES,
    audit: {
      maxAgeDays: parsed.FRESHET_AUDIT_MAX_AGE_DAYS,
      maxEntries: parsed.FRESHET_AUDIT_MAX_ENTRIES,
      maxFailedLogins: parsed.FRESHET_AUDIT_MAX_FAILED_LOGINS,
    },
    oidc,
  };
}
