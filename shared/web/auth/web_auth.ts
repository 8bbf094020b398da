/**
 * The login service of one app (`ctx.services.auth`): its settings, the
 * session store, password checks with failed-login rate limiting (shared
 * by the login form and HTTP Basic), and single sign-on when configured.
 * A session remembers how it was opened: a local user's ends when their
 * password changes, a single sign-on user's when the provider or client
 * configured changes.
 */
import type { DatabaseSync } from "../../sqlite/sqlite.ts";
import type { AuthConfig } from "./auth_config.ts";
import { defaultLoginLimits, type LoginLimits } from "./rate_limit.ts";
import { type Session, SessionStore } from "./sessions.ts";
import { credentialFingerprint, type User, verifyCredentials } from "./users.ts";
import { OidcClient } from "./oidc/oidc_client.ts";

/** What a login attempt gave. */
export type LoginOutcome =
  | { ok: true; user: User }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "limited"; retryAfterMs: number };

/** The login service. */
export interface WebAuth {
  config: AuthConfig;
  sessions: SessionStore;
  /** Checks `name`/`password` from `client` (an address), unless it failed too often. */
  login(name: string, password: string, client: string): Promise<LoginOutcome>;
  /** Opens a session for a user `login` (or single sign-on, `via: "oidc"`) accepted. */
  openSession(
    user: User,
    options?: { via: "local" | "oidc" },
  ): Promise<{ token: string; session: Session }>;
  /** The OpenID Connect relying party, when single sign-on is configured. */
  oidc?: OidcClient;
  /** The session of a cookie's token, if it is live and its password unchanged. */
  session(token: string): Promise<Session | undefined>;
}

/** Options of `createWebAuth`. */
export interface CreateWebAuthOptions {
  /** The console database (opened on first use). */
  db: () => DatabaseSync;
  /** Rate limits (default: 5 per address and name, 20 per address, per 15 minutes). */
  limits?: LoginLimits;
  now?: () => number;
}

async function sha256Text(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The login service for `config`. */
export function createWebAuth(config: AuthConfig, options: CreateWebAuthOptions): WebAuth {
  const sessions = new SessionStore(options.db, { ttlMs: config.sessionTtlMs, now: options.now });
  const limits = options.limits ?? defaultLoginLimits(options.now);
  const fingerprints = new Map<string, Promise<string>>();
  const fingerprint = (name: string) => {
    const account = config.users.find((u) => u.name === name);
    if (!account) return Promise.resolve(undefined);
    let value = fingerprints.get(name);
    if (!value) fingerprints.set(name, value = credentialFingerprint(account));
    return value;
  };
  const oidc = config.oidc ? new OidcClient(config.oidc) : undefined;
  const oidcCredential = config.oidc
    ? sha256Text(`freshet-oidc\u0000${config.oidc.issuer.href}\u0000${config.oidc.clientId}`)
      .then((hex) => `oidc:${hex.slice(0, 24)}`)
    : undefined;
  return {
    config,
    sessions,
    oidc,
    async login(name, password, client) {
      const userKey = `${client}\u0000${name}`;
      const retryAfterMs = Math.max(
        limits.perUser.retryAfterMs(userKey),
        limits.perClient.retryAfterMs(client),
      );
      if (retryAfterMs > 0) return { ok: false, reason: "limited", retryAfterMs };
      const user = await verifyCredentials(config.users, name, password);
      if (!user) {
        limits.perUser.fail(userKey);
        limits.perClient.fail(client);
        return { ok: false, reason: "invalid" };
      }
      limits.perUser.reset(userKey);
      return { ok: true, user };
    },
    async openSession(user, options) {
      if (options?.via === "oidc") {
        if (!oidcCredential) throw new Error("single sign-on is not configured");
        return await sessions.open(user, await oidcCredential);
      }
      return await sessions.open(user, (await fingerprint(user.name)) ?? "");
    },
    async session(token) {
      const session = await sessions.find(token);
      if (!session) return undefined;
      if (session.credential.startsWith("oidc:")) {
        return session.credential === await oidcCredential ? session : undefined;
      }
      const current = await fingerprint(session.user.name);
      const account = config.users.find((u) => u.name === session.user.name);
      if (current !== session.credential || account?.role !== session.user.role) return undefined;
      return session;
    },
  };
}
