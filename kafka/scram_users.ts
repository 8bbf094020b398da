/**
 * Keeps the local cluster's SCRAM users in step with the configured
 * passwords. SCRAM credentials live in the cluster metadata (created at
 * format time), so a password changed afterwards must be altered there;
 * PLAIN reads its users from the broker's properties and follows at once.
 *
 * `scram-users.json` in the cluster's data folder records a salted SHA-256
 * of each password SCRAM was given (never the password). At every start,
 * the principals whose password differs are altered with Kafka's own
 * `ConfigCommand`, logged in as admin over PLAIN.
 */
import { encodeHex, sha256Hex } from "../shared/core/hex.ts";
import { javaClientProperties } from "./java_client_properties.ts";

/** What `scram-users.json` holds. */
interface ScramRecord {
  salt: string;
  users: Record<string, string>;
}

function recordPath(dataDir: string): string {
  return `${dataDir}/scram-users.json`;
}

function fingerprint(salt: string, password: string): Promise<string> {
  return sha256Hex(`${salt}\0${password}`);
}

async function readRecord(dataDir: string): Promise<ScramRecord | undefined> {
  try {
    const parsed = JSON.parse(await Deno.readTextFile(recordPath(dataDir)));
    if (typeof parsed?.salt === "string" && typeof parsed?.users === "object") return parsed;
  } catch {
    // missing or unreadable: every user is re-synced, which is harmless
  }
  return undefined;
}

/** Records that SCRAM now knows exactly these passwords. */
export async function recordScramPasswords(
  dataDir: string,
  passwords: Record<string, string>,
): Promise<void> {
  const salt = encodeHex(crypto.getRandomValues(new Uint8Array(16)));
  const users: Record<string, string> = {};
  for (const [name, password] of Object.entries(passwords)) {
    users[name] = await fingerprint(salt, password);
  }
  const record: ScramRecord = { salt, users };
  await Deno.writeTextFile(recordPath(dataDir), JSON.stringify(record, null, 2) + "\n", {
    mode: 0o600,
  });
}

/** The principals whose password SCRAM does not know yet (all of them without a record). */
export async function changedScramUsers(
  dataDir: string,
  passwords: Record<string, string>,
): Promise<string[]> {
  const record = await readRecord(dataDir);
  const changed: string[] = [];
  for (const [name, password] of Object.entries(passwords)) {
    const known = record?.users[name];
    if (!record || known !== await fingerprint(record.salt, password)) changed.push(name);
  }
  return changed;
}

/** How to reach the running cluster as admin over PLAIN. */
export interface ScramSyncTarget {
  java: string;
  /** Folder of the Kafka jars. */
  libs: string;
  brokers: string[];
  /** Folder of the cluster's data (holds the record). */
  dataDir: string;
  passwords: Record<string, string>;
}

/**
 * Alters the SCRAM credential of every principal whose password changed,
 * then records the new passwords. Returns the principals altered.
 */
export async function syncScramUsers(target: ScramSyncTarget): Promise<string[]> {
  const changed = await changedScramUsers(target.dataDir, target.passwords);
  if (changed.length === 0) return [];
  const props = `${target.dataDir}/admin-plain.properties`;
  await Deno.writeTextFile(
    props,
    javaClientProperties({
      mechanism: "PLAIN",
      username: "admin",
      password: target.passwords.admin,
    }),
    { mode: 0o600 },
  );
  try {
    for (const name of changed) {
      const out = await new Deno.Command(target.java, {
        args: [
          "-Xmx256m",
          "-cp",
          `${target.libs}/*`,
          "kafka.admin.ConfigCommand",
          "--bootstrap-server",
          target.brokers.join(","),
          "--command-config",
          props,
          "--alter",
          "--entity-type",
          "users",
          "--entity-name",
          name,
          "--add-config",
          `SCRAM-SHA-256=[password=${target.passwords[name]}]`,
        ],
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!out.success) {
        const detail = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
        throw new Error(`could not update the SCRAM password of ${name}: ${detail}`);
      }
    }
  } finally {
    await Deno.remove(props).catch(() => {});
  }
  await recordScramPasswords(target.dataDir, target.passwords);
  return changed;
}
