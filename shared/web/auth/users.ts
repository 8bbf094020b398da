/**
 * The console's users and roles. Two roles: `viewer` reads every page and
 * API, `operator` may also change things (produce, redrive, reset offsets,
 * create/alter/delete topics, delete groups). Passwords come from the
 * environment; comparison is constant-time over SHA-256 digests.
 */

/** A role, weakest first. */
export const ROLES = ["viewer", "operator"] as const;
/** One role of `ROLES`. */
export type Role = typeof ROLES[number];

/** The user of a request (`ctx.state.user`). */
export interface User {
  name: string;
  role: Role;
}

/** A user as configured: name, role and password. */
export interface UserAccount extends User {
  password: string;
}

/** Whether `role` may do what `needed` may. */
export function roleAllows(role: Role, needed: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(needed);
}

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  for (let i = 0; i < Math.min(a.length, b.length); i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

/**
 * The account `name` logs in as with `password`, or undefined. Every
 * account's password is compared, so the time taken does not say which
 * names exist.
 */
export async function verifyCredentials(
  accounts: readonly UserAccount[],
  name: string,
  password: string,
): Promise<User | undefined> {
  const given = await digest(`${name}\u0000${password}`);
  let found: User | undefined;
  for (const account of accounts) {
    const expected = await digest(`${account.name}\u0000${account.password}`);
    if (sameBytes(given, expected)) found = { name: account.name, role: account.role };
  }
  return found;
}

/**
 * A fingerprint of an account's current password, kept with its sessions:
 * changing the password (and restarting) ends every session of that user.
 */
export async function credentialFingerprint(account: UserAccount): Promise<string> {
  const bytes = await digest(`freshet-session\u0000${account.name}\u0000${account.password}`);
  return [...bytes.slice(0, 12)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
