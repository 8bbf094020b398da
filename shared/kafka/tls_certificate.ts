/**
 * Why a client refused a broker's certificate, read from the certificate
 * itself (fetched again without verification): not signed by a CA it
 * trusts (the CA file's, or the system's), expired or not yet valid, or
 * issued for other names than the one connected to.
 */
import { X509Certificate } from "node:crypto";
import net from "node:net";
import type tls from "node:tls";
import type { KafkaTlsConfig } from "./tls_config.ts";
import { KafkaTlsError } from "./tls_errors.ts";
import { splitBroker, tlsHandshake } from "./tls_probe.ts";
import { tlsOptions } from "./tls_options.ts";

/** The certificates of a PEM bundle. */
function pemCertificates(pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.flatMap((block) => {
    try {
      return [new X509Certificate(block)];
    } catch {
      return [];
    }
  });
}

/** The peer chain as X509Certificates, leaf first. */
function peerChain(peer: tls.DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  for (let c: tls.DetailedPeerCertificate | undefined = peer; c?.raw; c = c.issuerCertificate) {
    if (seen.has(c.fingerprint256)) break;
    seen.add(c.fingerprint256);
    chain.push(new X509Certificate(c.raw));
  }
  return chain;
}

const name = (cert: X509Certificate) => cert.subject.replaceAll("\n", ", ");

/** Whether one of `cas` signed a certificate of `chain` (or is one of them). */
function chainsTo(chain: X509Certificate[], cas: X509Certificate[]): boolean {
  return chain.some((cert) =>
    cas.some((ca) =>
      ca.fingerprint256 === cert.fingerprint256 ||
      (cert.checkIssued(ca) && cert.verify(ca.publicKey))
    )
  );
}

function coversHost(cert: X509Certificate, host: string): boolean {
  return net.isIP(host) ? cert.checkIP(host) !== undefined : cert.checkHost(host) !== undefined;
}

/**
 * Explains a refused broker certificate, from the certificate itself. A
 * host-name refusal comes only after the chain was trusted. With a CA
 * file, the chain is checked against it; without one (the system's CAs,
 * which Deno shows a program only with `--allow-sys`), a certificate that
 * is in date and covers the host was refused for its issuer.
 */
export async function explainCertificate(
  broker: string,
  ssl: KafkaTlsConfig,
  refusal: Error & { code?: string },
  timeoutMs: number,
): Promise<KafkaTlsError> {
  const fetched = await tlsHandshake(
    broker,
    { ...tlsOptions(ssl), rejectUnauthorized: false },
    timeoutMs,
  );
  if (!fetched.ok) {
    return new KafkaTlsError(broker, "TLS_CERT_REJECTED", `${refusal.message}`, refusal);
  }
  const chain = peerChain(fetched.value);
  const leaf = chain[0];
  const what = `its certificate (${name(leaf)}, issued by ${leaf.issuer.replaceAll("\n", ", ")})`;
  const { host } = splitBroker(broker);
  const mismatch = () =>
    new KafkaTlsError(
      broker,
      "TLS_HOSTNAME_MISMATCH",
      `${what} is for ${
        leaf.subjectAltName ?? name(leaf)
      }, not ${host}. Connect with a name the certificate covers, or have the broker's certificate issued for ${host}.`,
      refusal,
    );
  const unknownCa = (where: string) =>
    new KafkaTlsError(
      broker,
      "TLS_UNKNOWN_CA",
      `${what} is not signed by a CA in ${where}. Set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed the broker's certificate.`,
      refusal,
    );
  if (refusal.code === "ERR_TLS_CERT_ALTNAME_INVALID") return mismatch();
  if (ssl.ca !== undefined) {
    const cas = pemCertificates(ssl.ca);
    if (!chainsTo(chain, cas)) {
      return unknownCa(
        `the CA file KAFKA_SSL_CA_FILE${ssl.caFile ? `=${ssl.caFile}` : ""} (${
          cas.map(name).join("; ") || "no certificate"
        })`,
      );
    }
  }
  const now = new Date();
  for (const cert of chain) {
    const which = cert === leaf ? what : `the certificate ${name(cert)} in its chain`;
    if (cert.validToDate < now) {
      return new KafkaTlsError(
        broker,
        "TLS_CERT_EXPIRED",
        `${which} expired on ${cert.validToDate.toISOString()}. Renew it on the broker.`,
        refusal,
      );
    }
    if (cert.validFromDate > now) {
      return new KafkaTlsError(
        broker,
        "TLS_CERT_NOT_YET_VALID",
        `${which} is valid only from ${cert.validFromDate.toISOString()} (check the clocks).`,
        refusal,
      );
    }
  }
  if (!coversHost(leaf, host)) return mismatch();
  if (ssl.ca === undefined) {
    return unknownCa("the system's trusted CAs (KAFKA_SSL_CA_FILE is not set)");
  }
  return new KafkaTlsError(
    broker,
    "TLS_CERT_REJECTED",
    `${what} was refused: ${refusal.message}`,
    refusal,
  );
}
