/**
 * The local cluster's TLS material, made with the JDK's `keytool` (it comes
 * with the Java that runs the broker: nothing to download) in the
 * cluster's `tls/` folder:
 *
 * - `ca.pem`: the certificate of a CA made for this cluster, what clients
 *   trust (`KAFKA_SSL_CA_FILE=data/kafka/tls/ca.pem`);
 * - `ca.p12`: that CA's key, kept (0600) so the broker's certificate can be
 *   renewed under the same CA, and clients keep trusting it;
 * - `broker.p12`: the brokers' key and certificate (0600; its subject
 *   alternative names cover every node's address and `localhost`), with
 *   `broker.pem`, the certificate alone, to inspect;
 * - `store.password`: the keystores' password (0600), also in the brokers'
 *   server.properties.
 *
 * Every start reuses them; a CA that is missing or expires within 30 days
 * is made again (with a new broker certificate), and so is a broker
 * certificate that is missing, expires within 30 days, was not issued by
 * the current CA or does not cover every node address.
 */
import { X509Certificate } from "node:crypto";
import { encodeHex } from "../shared/core/hex.ts";

/** Days a new CA is valid. */
const CA_DAYS = 3650;
/** Days a new broker certificate is valid (the longest validity browsers and tools accept). */
const BROKER_DAYS = 825;
/** A certificate expiring within this many days is renewed at the next start. */
const RENEW_BEFORE_DAYS = 30;

/** The files of the cluster's TLS material. */
export interface TlsMaterial {
  /** The folder holding them. */
  dir: string;
  /** The CA certificate clients trust (PEM). */
  caPem: string;
  /** The brokers' keystore (PKCS12). */
  keystore: string;
  /** The keystores' password. */
  password: string;
}

/** What `ensureTlsMaterial` did: nothing, a new broker certificate, or a new CA (and certificate). */
export type TlsRenewal = "reused" | "broker" | "ca";

/** Options of `ensureTlsMaterial`. */
export interface EnsureTlsOptions {
  /** The folder (created if missing), e.g. `data/kafka/tls`. */
  dir: string;
  /** Every node's address (IPv4 or a DNS name); `localhost` is always added. */
  hosts: string[];
  /** The keytool executable (default `keytool`; `$JAVA_HOME/bin/keytool` with a JDK of its own). */
  keytool?: string;
  /** The time validity is judged at (default now; tests move it). */
  now?: Date;
}

/** `$JAVA_HOME/bin/keytool` when set, else `keytool` on PATH. */
export function keytoolCommand(javaHome: string | undefined): string {
  return javaHome ? `${javaHome}/bin/keytool` : "keytool";
}

const isIp = (host: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(":");

/** The subject alternative names the broker certificate carries, keytool's `-ext SAN=` value. */
export function brokerSans(hosts: string[]): string {
  const names = [...new Set([...hosts, "localhost"])];
  return names.map((h) => (isIp(h) ? `ip:${h}` : `dns:${h}`)).join(",");
}

async function readCertificate(path: string): Promise<X509Certificate | undefined> {
  try {
    return new X509Certificate(await Deno.readTextFile(path));
  } catch {
    return undefined;
  }
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

function lastsUntil(cert: X509Certificate, now: Date): boolean {
  const renewAt = new Date(now.getTime() + RENEW_BEFORE_DAYS * 86_400_000);
  return cert.validToDate > renewAt && cert.validFromDate <= now;
}

/** Why the broker certificate must be made again, or undefined when it is good. */
function brokerProblem(
  cert: X509Certificate | undefined,
  ca: X509Certificate,
  hosts: string[],
  now: Date,
): string | undefined {
  if (!cert) return "missing";
  if (!lastsUntil(cert, now)) return `expires ${cert.validTo}`;
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) return "not issued by the current CA";
  const uncovered = [...hosts, "localhost"].filter((h) =>
    isIp(h) ? cert.checkIP(h) === undefined : cert.checkHost(h) === undefined
  );
  if (uncovered.length > 0) return `does not cover ${uncovered.join(", ")}`;
}

/** keytool's JVM: a fast start matters more than its speed (half the CPU). */
const KEYTOOL_JVM = ["-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"];

async function keytool(command: string, args: string[]): Promise<void> {
  let output;
  try {
    output = await new Deno.Command(command, { args: [...KEYTOOL_JVM, ...args], stdin: "null" })
      .output();
  } catch (error) {
    throw new Error(
      `cannot run ${command} (it comes with Java; set JAVA_HOME or put it on PATH): ${error}`,
    );
  }
  if (!output.success) {
    const text = new TextDecoder().decode(new Uint8Array([...output.stdout, ...output.stderr]));
    throw new Error(`${command} ${args[0]} failed (exit ${output.code}): ${text.trim()}`);
  }
}

async function readOrMakePassword(path: string): Promise<string> {
  const known = await Deno.readTextFile(path).then((s) => s.trim(), () => "");
  if (known.length >= 6) return known;
  const password = encodeHex(crypto.getRandomValues(new Uint8Array(16)));
  await Deno.writeTextFile(path, `${password}\n`, { mode: 0o600 });
  return password;
}

async function makeCa(tool: string, dir: string, password: string): Promise<void> {
  await Deno.remove(`${dir}/ca.pem`).catch(() => {});
  await Deno.remove(`${dir}/ca.p12`).catch(() => {});
  // A name of its own, so a message about a CA says which one.
  const name = `Freshet local CA ${encodeHex(crypto.getRandomValues(new Uint8Array(4)))}`;
  await keytool(tool, [
    "-genkeypair",
    ...["-alias", "ca", "-keyalg", "RSA", "-keysize", "2048"],
    ...["-dname", `CN=${name}`, "-validity", String(CA_DAYS)],
    ...["-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign"],
    ...["-keystore", `${dir}/ca.p12`, "-storetype", "PKCS12", "-storepass", password],
  ]);
  await Deno.chmod(`${dir}/ca.p12`, 0o600);
  // ca.pem last: it exists only once the CA is complete.
  await keytool(tool, [
    "-exportcert",
    ...["-rfc", "-alias", "ca", "-keystore", `${dir}/ca.p12`, "-storepass", password],
    ...["-file", `${dir}/ca.pem`],
  ]);
  await Deno.chmod(`${dir}/ca.pem`, 0o644);
}

async function makeBrokerCertificate(
  tool: string,
  dir: string,
  password: string,
  hosts: string[],
): Promise<void> {
  const keystore = `${dir}/broker.p12`;
  const store = ["-keystore", keystore, "-storepass", password];
  await Deno.remove(`${dir}/broker.pem`).catch(() => {});
  await Deno.remove(keystore).catch(() => {});
  await keytool(tool, [
    "-genkeypair",
    ...["-alias", "broker", "-keyalg", "RSA", "-keysize", "2048"],
    ...["-dname", "CN=localhost", "-validity", String(BROKER_DAYS)],
    ...store,
    "-storetype",
    "PKCS12",
  ]);
  await Deno.chmod(keystore, 0o600);
  const csr = `${dir}/broker.csr`;
  const signed = `${dir}/broker.signed.pem`;
  try {
    await keytool(tool, ["-certreq", "-alias", "broker", ...store, "-file", csr]);
    await keytool(tool, [
      "-gencert",
      ...["-alias", "ca", "-keystore", `${dir}/ca.p12`, "-storepass", password],
      ...["-infile", csr, "-outfile", signed, "-rfc", "-validity", String(BROKER_DAYS)],
      ...["-ext", `SAN=${brokerSans(hosts)}`],
      ...["-ext", "ku:c=digitalSignature,keyEncipherment", "-ext", "eku=serverAuth,clientAuth"],
    ]);
    // The CA first, so the signed reply chains up to it in the keystore.
    await keytool(tool, [
      "-importcert",
      ...["-noprompt", "-alias", "ca", "-file", `${dir}/ca.pem`],
      ...store,
    ]);
    await keytool(tool, [
      "-importcert",
      "-noprompt",
      "-alias",
      "broker",
      "-file",
      signed,
      ...store,
    ]);
    await Deno.rename(signed, `${dir}/broker.pem`);
  } finally {
    await Deno.remove(csr).catch(() => {});
    await Deno.remove(signed).catch(() => {});
  }
}

/**
 * The cluster's CA and broker keystore, made or renewed as needed (see
 * the module's note); returns their files and what was made.
 */
export async function ensureTlsMaterial(
  options: EnsureTlsOptions,
): Promise<{ material: TlsMaterial; renewed: TlsRenewal }> {
  const { dir, hosts } = options;
  const tool = options.keytool ?? "keytool";
  const now = options.now ?? new Date();
  await Deno.mkdir(dir, { recursive: true });
  const password = await readOrMakePassword(`${dir}/store.password`);
  const material: TlsMaterial = {
    dir,
    caPem: `${dir}/ca.pem`,
    keystore: `${dir}/broker.p12`,
    password,
  };

  let renewed: TlsRenewal = "reused";
  let ca = await readCertificate(material.caPem);
  if (!ca || !lastsUntil(ca, now) || !(await exists(`${dir}/ca.p12`))) {
    await makeCa(tool, dir, password);
    ca = await readCertificate(material.caPem);
    if (!ca) throw new Error(`keytool made no readable CA certificate in ${material.caPem}`);
    renewed = "ca";
  }
  const broker = (await exists(material.keystore))
    ? await readCertificate(`${dir}/broker.pem`)
    : undefined;
  if (brokerProblem(broker, ca, hosts, now) !== undefined) {
    await makeBrokerCertificate(tool, dir, password, hosts);
    if (renewed === "reused") renewed = "broker";
  }
  return { material, renewed };
}

/** Why the broker certificate in `dir` would be renewed, or undefined (for logs and tests). */
export async function brokerCertificateProblem(
  dir: string,
  hosts: string[],
  now = new Date(),
): Promise<string | undefined> {
  const ca = await readCertificate(`${dir}/ca.pem`);
  if (!ca) return "no CA";
  return brokerProblem(await readCertificate(`${dir}/broker.pem`), ca, hosts, now);
}
