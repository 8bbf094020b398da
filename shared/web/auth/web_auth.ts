/**
 * The login service of one app (`ctx.services.auth`): its settings, the
 * session store, and password checks with failed-login rate limiting,
 * shared by the login form and HTTP Basic.
 */
import type { DatabaseSync } from "../../sqlite/sqlite.ts";
import type { AuthConfig } from "./auth_config.ts";
import { defaultLoginLimits, type LoginLimits } from "./rate_limit.ts";
import { type Session, SessionStore } from "./sessions.ts";
import { credentialFingerprint, type User, verifyCredentials } from "./users.ts";

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
  /** Opens a session for a user `login` accepted. */
  openSession(user: User): Promise<{ token: string; session: Session }>;
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
  return {
    config,
    sessions,
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
    async openSession(user) {
      return await sessions.open(user, (await fingerprint(user.name)) ?? "");
    },
    async session(token) {
      const session = await sessions.find(token);
      if (!session) return undefined;
      const current = await fingerprint(session.user.name);
      const account = config.users.find((u) => u.name === session.user.name);
      if (current !== session.credential || account?.role !== session.user.role) return undefined;
      return session;
    },
  };
}
