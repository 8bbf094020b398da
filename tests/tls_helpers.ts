/**
 * Helpers of the TLS tests: clients of the local broker's SASL_SSL
 * listener (shared/kafka/local_tls.ts), client certificates made with
 * openssl (one signed by the local broker's CA, one by a stranger), a
 * TCP forwarder (to reach the broker by an address its certificate does
 * not cover) and a TLS server presenting an expired certificate.
 */
import type { Kafka } from "kafkajs";
import { createKafka } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { localTlsEnv } from "../shared/kafka/local_tls.ts";
import type { KafkaTlsError } from "../shared/kafka/tls_errors.ts";

/** A client of `principal` on the local TLS listener; `env` overrides the TLS variables. */
export function tlsKafka(
  principal: string,
  env: Record<string, string> = {},
  options: { onTlsFailure?: (error: KafkaTlsError) => void; retries?: number } = {},
): Kafka {
  return createKafka(loadKafkaConfig(principal, { ...localTlsEnv(), ...env }), {
    clientSuffix: "tls-test",
    ...options,
  });
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdin: "null" }).output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** PEM files of a client certificate and its key. */
export interface ClientCertificate {
  cert: string;
  key: string;
}

/**
 * Two client certificates in `dir`: `trusted`, signed by the local
 * broker's CA (its key read from the CA keystore the broker keeps), and
 * `stranger`, self-signed.
 */
export async function clientCertificates(
  dir: string,
  tlsDir: string,
): Promise<{ trusted: ClientCertificate; stranger: ClientCertificate }> {
  await openssl([
    "pkcs12",
    ...["-in", `${tlsDir}/ca.p12`, "-nocerts", "-nodes"],
    ...["-passin", `file:${tlsDir}/store.password`, "-out", "ca.key"],
  ], dir);
  await openssl([
    "req",
    ...["-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "trusted.key"],
    ...["-out", "trusted.csr", "-subj", "/CN=freshet-test-client"],
  ], dir);
  await openssl([
    "x509",
    ...["-req", "-in", "trusted.csr", "-CA", `${tlsDir}/ca.pem`, "-CAkey", "ca.key"],
    ...["-set_serial", String(Date.now()), "-days", "1", "-out", "trusted.pem"],
  ], dir);
  await Deno.remove(`${dir}/ca.key`);
  await openssl([
    "req",
    ...["-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "stranger.key"],
    ...["-out", "stranger.pem", "-days", "1", "-subj", "/CN=stranger"],
  ], dir);
  return {
    trusted: { cert: `${dir}/trusted.pem`, key: `${dir}/trusted.key` },
    stranger: { cert: `${dir}/stranger.pem`, key: `${dir}/stranger.key` },
  };
}

/** `key` (PKCS#8) rewritten in RSA's own format ("BEGIN RSA PRIVATE KEY"), beside it. */
export async function traditionalKey(dir: string, key: string): Promise<string> {
  const out = `${key}.rsa`;
  await openssl(["rsa", "-in", key, "-traditional", "-out", out], dir);
  return out;
}

/**
 * A CA of its own and a server certificate it signed for `host` that
 * expired in 2020 (`openssl ca` can date a certificate in the past).
 */
export async function expiredServerCertificate(
  dir: string,
  host: string,
): Promise<{ ca: string; cert: string; key: string }> {
  await openssl([
    "req",
    ...["-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "old-ca.key"],
    ...["-out", "old-ca.pem", "-days", "3650", "-subj", "/CN=Old test CA"],
  ], dir);
  await openssl([
    "req",
    ...["-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "old.key"],
    ...["-out", "old.csr", "-subj", "/CN=old-broker"],
  ], dir);
  await Deno.writeTextFile(`${dir}/index.txt`, "");
  await Deno.writeTextFile(`${dir}/serial`, "01\n");
  await Deno.writeTextFile(`${dir}/san.cnf`, `subjectAltName=IP:${host}\n`);
  await Deno.writeTextFile(
    `${dir}/ca.cnf`,
    [
      "[ca]",
      "default_ca = own",
      "[own]",
      "database = index.txt",
      "new_certs_dir = .",
      "serial = serial",
      "default_md = sha256",
      "policy = any",
      "[any]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  await openssl([
    "ca",
    ...["-batch", "-config", "ca.cnf", "-cert", "old-ca.pem", "-keyfile", "old-ca.key"],
    ...["-in", "old.csr", "-out", "old.pem", "-extfile", "san.cnf"],
    ...["-startdate", "20200101000000Z", "-enddate", "20200201000000Z"],
  ], dir);
  return { ca: `${dir}/old-ca.pem`, cert: `${dir}/old.pem`, key: `${dir}/old.key` };
}

/** A TLS server on `host` (a free port) presenting `cert`; `close()` stops it. */
export function tlsServer(
  host: string,
  pem: { cert: string; key: string },
): { address: string; close(): void } {
  const listener = Deno.listenTls({
    hostname: host,
    port: 0,
    cert: Deno.readTextFileSync(pem.cert),
    key: Deno.readTextFileSync(pem.key),
  });
  (async () => {
    for await (const conn of listener) conn.handshake().catch(() => {}).finally(() => conn.close());
  })().catch(() => {});
  return {
    address: `${host}:${(listener.addr as Deno.NetAddr).port}`,
    close: () => listener.close(),
  };
}

/**
 * A TCP forwarder on `host` (a free port) to `target`: the broker reached
 * by an address its certificate does not name. `close()` stops it and
 * every connection.
 */
export function forwarder(host: string, target: string): { address: string; close(): void } {
  const [targetHost, targetPort] = [
    target.slice(0, target.lastIndexOf(":")),
    target.split(":").pop(),
  ];
  const listener = Deno.listen({ hostname: host, port: 0 });
  const open = new Set<Deno.Conn>();
  (async () => {
    for await (const conn of listener) {
      open.add(conn);
      Deno.connect({ hostname: targetHost, port: Number(targetPort) }).then((upstream) => {
        open.add(upstream);
        conn.readable.pipeTo(upstream.writable).catch(() => {});
        upstream.readable.pipeTo(conn.writable).catch(() => {});
      }, () => conn.close());
    }
  })().catch(() => {});
  return {
    address: `${host}:${(listener.addr as Deno.NetAddr).port}`,
    close() {
      listener.close();
      for (const conn of open) {
        try {
          conn.close();
        } catch { /* already closed */ }
      }
    },
  };
}
