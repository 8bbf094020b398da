/**
 * Login sessions, kept in the console database so a restart does not log
 * everyone out. The cookie carries a random 256-bit token; the database
 * keeps only its SHA-256, so a copy of the database logs nobody in. Each
 * session has its own CSRF token and the fingerprint of the password it
 * was opened with (a changed password ends it).
 */
import { type DatabaseSync, statement } from "../../sqlite/sqlite.ts";
import type { Role, User } from "./users.ts";

/** One open session. */
export interface Session {
  user: User;
  /** Fingerprint of the password at login (see users.ts `credentialFingerprint`). */
  credential: string;
  /** Token forms and scripts send back with a change (`_csrf` / `X-CSRF-Token`). */
  csrfToken: string;
  expiresAt: number;
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

async function hashToken(token: string): Promise<string> {
  const bytes = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Sessions in one database. */
export class SessionStore {
  #db: () => DatabaseSync;
  #ttlMs: number;
  #now: () => number;

  constructor(db: () => DatabaseSync, options: { ttlMs: number; now?: () => number }) {
    this.#db = db;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** Opens a session for `user`; returns the cookie's token and the session. */
  async open(user: User, credential: string): Promise<{ token: string; session: Session }> {
    const token = randomToken();
    const now = this.#now();
    const session: Session = {
      user,
      credential,
      csrfToken: randomToken(),
      expiresAt: now + this.#ttlMs,
    };
    const db = this.#db();
    statement(db, "DELETE FROM sessions WHERE expires_at <= ?").run(now);
    statement(
      db,
      `INSERT INTO sessions (token_hash, user_name, role, credential, csrf_token, created_at,
        expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      await hashToken(token),
      user.name,
      user.role,
      credential,
      session.csrfToken,
      now,
      session.expiresAt,
    );
    return { token, session };
  }

  /** The live session of `token`, or undefined (unknown or expired). */
  async find(token: string): Promise<Session | undefined> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return undefined;
    const row = statement(
      this.#db(),
      `SELECT user_name, role, credential, csrf_token, expires_at FROM sessions
       WHERE token_hash = ? AND expires_at > ?`,
    ).get(await hashToken(token), this.#now());
    if (!row) return undefined;
    return {
      user: { name: String(row.user_name), role: String(row.role) as Role },
      credential: String(row.credential),
      csrfToken: String(row.csrf_token),
      expiresAt: Number(row.expires_at),
    };
  }

  /** Ends the session of `token` (logout). */
  async close(token: string): Promise<void> {
    statement(this.#db(), "DELETE FROM sessions WHERE token_hash = ?").run(await hashToken(token));
  }
}
