/**
 * Single sign-on settings (any OpenID Connect provider: Keycloak, Entra ID,
 * Google, Okta, Auth0, Dex…), from the environment. Off unless
 * `FRESHET_OIDC_ISSUER` is set; local users keep working either way.
 *
 * - `FRESHET_OIDC_ISSUER`: the issuer URL (https; http only on loopback);
 * - `FRESHET_OIDC_CLIENT_ID`, `FRESHET_OIDC_CLIENT_SECRET` (none: a public
 *   client, PKCE alone);
 * - `FRESHET_OIDC_ROLE_CLAIM` (default `roles`; a dotted path such as
 *   `realm_access.roles` reads into objects), whose values map to roles by
 *   `FRESHET_OIDC_OPERATOR_VALUES` (default `freshet-operator`) and
 *   `FRESHET_OIDC_VIEWER_VALUES` (default `freshet-viewer`), comma-separated;
 *   a user with neither is refused;
 * - `FRESHET_OIDC_NAME`: the button's provider name (default the issuer's
 *   host); `FRESHET_OIDC_SCOPES` (default `openid profile email`);
 *   `FRESHET_OIDC_USERNAME_CLAIM` (default `preferred_username`, then
 *   `email`, then `sub`); `FRESHET_OIDC_CLOCK_TOLERANCE_SECONDS` (default 30);
 * - `FRESHET_OIDC_HOSTS`: `host:port` the server may reach besides the
 *   issuer's (a provider whose token or key endpoints live elsewhere, e.g.
 *   Google's `oauth2.googleapis.com:443,www.googleapis.com:443`).
 */
import { z } from "zod";
import { hostPortList, parseEnv } from "../../../core/config.ts";
import { isLoopbackHost } from "../loopback.ts";

/** Variables `loadOidcConfig` reads. */
export const OIDC_ENV_NAMES = [
  "FRESHET_OIDC_ISSUER",
  "FRESHET_OIDC_CLIENT_ID",
  "FRESHET_OIDC_CLIENT_SECRET",
  "FRESHET_OIDC_ROLE_CLAIM",
  "FRESHET_OIDC_OPERATOR_VALUES",
  "FRESHET_OIDC_VIEWER_VALUES",
  "FRESHET_OIDC_NAME",
  "FRESHET_OIDC_SCOPES",
  "FRESHET_OIDC_USERNAME_CLAIM",
  "FRESHET_OIDC_CLOCK_TOLERANCE_SECONDS",
  "FRESHET_OIDC_HOSTS",
] as const;

/** Variables the launcher needs to grant the server the provider's hosts. */
export const OIDC_LAUNCHER_ENV = ["FRESHET_OIDC_ISSUER", "FRESHET_OIDC_HOSTS"] as const;

/** The single sign-on settings. */
export interface OidcConfig {
  issuer: URL;
  clientId: string;
  /** Undefined: a public client (PKCE, no secret). */
  clientSecret?: string;
  /** Claim path, e.g. `roles` or `realm_access.roles`. */
  roleClaim: string;
  operatorValues: string[];
  viewerValues: string[];
  /** What the login button says: "Sign in with <name>". */
  name: string;
  scopes: string;
  usernameClaim: string;
  clockToleranceSeconds: number;
}

const list = (fallback: string) =>
  z.string().default(fallback).transform((value) =>
    value.split(",").map((s) => s.trim()).filter(Boolean)
  );

const schema = z.object({
  FRESHET_OIDC_ISSUER: z.string().transform((value, ctx) => {
    let url: URL | undefined;
    try {
      url = new URL(value);
    } catch {
      // reported below
    }
    const local = url !== undefined && isLoopbackHost(url.hostname);
    if (!url || !(url.protocol === "https:" || (url.protocol === "http:" && local))) {
      ctx.addIssue({
        code: "custom",
        message: "expected the provider's https issuer URL (http only on a loopback host)",
      });
      return z.NEVER;
    }
    return url;
  }).optional(),
  FRESHET_OIDC_CLIENT_ID: z.string().min(1).optional(),
  FRESHET_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  FRESHET_OIDC_ROLE_CLAIM: z.string().regex(
    /^[^.\s]+(\.[^.\s]+)*$/,
    "expected a claim name or a.b.c path",
  )
    .default("roles"),
  FRESHET_OIDC_OPERATOR_VALUES: list("freshet-operator"),
  FRESHET_OIDC_VIEWER_VALUES: list("freshet-viewer"),
  FRESHET_OIDC_NAME: z.string().min(1).max(60).optional(),
  FRESHET_OIDC_SCOPES: z.string().default("openid profile email").refine(
    (s) => s.split(/\s+/).includes("openid"),
    "expected the openid scope among the scopes",
  ),
  FRESHET_OIDC_USERNAME_CLAIM: z.string().min(1).default("preferred_username"),
  FRESHET_OIDC_CLOCK_TOLERANCE_SECONDS: z.coerce.number({ error: "expected seconds" }).int()
    .min(0).max(600).default(30),
  FRESHET_OIDC_HOSTS: hostPortList.optional(),
});

/** The settings from `env`, or undefined when single sign-on is off; a ConfigError names a problem. */
export function loadOidcConfig(env: Record<string, string | undefined>): OidcConfig | undefined {
  const withIssuer = env.FRESHET_OIDC_ISSUER
    ? { ...env, FRESHET_OIDC_CLIENT_ID: env.FRESHET_OIDC_CLIENT_ID ?? "" }
    : env;
  const parsed = parseEnv(schema, withIssuer);
  if (!parsed.FRESHET_OIDC_ISSUER) return undefined;
  return {
    issuer: parsed.FRESHET_OIDC_ISSUER,
    clientId: parsed.FRESHET_OIDC_CLIENT_ID!,
    clientSecret: parsed.FRESHET_OIDC_CLIENT_SECRET,
    roleClaim: parsed.FRESHET_OIDC_ROLE_CLAIM,
    operatorValues: parsed.FRESHET_OIDC_OPERATOR_VALUES,
    viewerValues: parsed.FRESHET_OIDC_VIEWER_VALUES,
    name: parsed.FRESHET_OIDC_NAME ?? parsed.FRESHET_OIDC_ISSUER.hostname,
    scopes: parsed.FRESHET_OIDC_SCOPES,
    usernameClaim: parsed.FRESHET_OIDC_USERNAME_CLAIM,
    clockToleranceSeconds: parsed.FRESHET_OIDC_CLOCK_TOLERANCE_SECONDS,
  };
}

/** `host:port` of the provider the server must be allowed to reach (the launcher's grant). */
export function oidcNetHosts(env: Record<string, string | undefined>): string[] {
  const hosts: string[] = [];
  try {
    const url = env.FRESHET_OIDC_ISSUER ? new URL(env.FRESHET_OIDC_ISSUER) : undefined;
    if (url) hosts.push(`${url.hostname}:${url.port || (url.protocol === "https:" ? 443 : 80)}`);
  } catch {
    // the server reports a malformed issuer when it starts
  }
  for (const host of (env.FRESHET_OIDC_HOSTS ?? "").split(",").map((s) => s.trim())) {
    if (host) hosts.push(host);
  }
  return hosts;
}
