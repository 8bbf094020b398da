/**
 * TLS settings of the Kafka connection, from `KAFKA_SSL*`: TLS on or off,
 * the CA to trust (a PEM file; none: the system's trusted CAs), a client
 * certificate and key for mutual TLS, and whether to verify the brokers'
 * certificates. Files that cannot be read, or hold no PEM, are refused
 * with the variable's name.
 */
import { createPrivateKey, X509Certificate } from "node:crypto";
import { z } from "zod";
import { booleanFlag, ConfigError, parseEnv } from "../core/config.ts";

/**
 * TLS to the brokers: `ca`/`cert`/`key` are PEM texts, given to
 * `tls.connect` as they are (unset when the files were left unread); the
 * `…File` fields name where they came from.
 */
export interface KafkaTlsConfig {
  ca?: string;
  caFile?: string;
  /** A client certificate (mutual TLS), with its private key. */
  cert?: string;
  certFile?: string;
  key?: string;
  keyFile?: string;
  rejectUnauthorized: boolean;
}

/** The TLS variables. */
export const KAFKA_TLS_ENV_NAMES = [
  "KAFKA_SSL",
  "KAFKA_SSL_CA_FILE",
  "KAFKA_SSL_CERT_FILE",
  "KAFKA_SSL_KEY_FILE",
  "KAFKA_SSL_REJECT_UNAUTHORIZED",
] as const;

/** The variables naming TLS files (CA, client certificate, its key): a program's grant reads them. */
export const KAFKA_TLS_FILE_ENV_NAMES = [
  "KAFKA_SSL_CA_FILE",
  "KAFKA_SSL_CERT_FILE",
  "KAFKA_SSL_KEY_FILE",
] as const;

/** The files the TLS settings in `env` name, as given. */
export function kafkaTlsFiles(env: Record<string, string | undefined>): string[] {
  return KAFKA_TLS_FILE_ENV_NAMES.map((name) => env[name]).filter((v): v is string => !!v);
}

const schema = z.object({
  KAFKA_SSL: booleanFlag.optional(),
  KAFKA_SSL_CA_FILE: z.string().optional(),
  KAFKA_SSL_CERT_FILE: z.string().optional(),
  KAFKA_SSL_KEY_FILE: z.string().optional(),
  KAFKA_SSL_REJECT_UNAUTHORIZED: booleanFlag.optional(),
}).catchall(z.string().optional());

/**
 * The TLS settings of `env`, or undefined without TLS. A CA file or a
 * client certificate implies TLS; `KAFKA_SSL=false` with one is refused,
 * and so is a certificate without its key (or the reverse).
 */
export function loadTlsConfig(
  env: Record<string, string | undefined>,
  options: { readFiles?: boolean } = {},
): KafkaTlsConfig | undefined {
  const parsed = parseEnv(schema, env);
  const { KAFKA_SSL_CA_FILE: caFile, KAFKA_SSL_CERT_FILE: certFile, KAFKA_SSL_KEY_FILE: keyFile } =
    parsed;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    const [given, missing] = certFile
      ? ["KAFKA_SSL_CERT_FILE", "KAFKA_SSL_KEY_FILE"]
      : ["KAFKA_SSL_KEY_FILE", "KAFKA_SSL_CERT_FILE"];
    throw new ConfigError([
      `${missing}: expected with ${given} (a client certificate goes with its private key)`,
    ]);
  }
  if (parsed.KAFKA_SSL === false && (caFile || certFile)) {
    throw new ConfigError([
      "KAFKA_SSL: false, but KAFKA_SSL_CA_FILE or KAFKA_SSL_CERT_FILE is set (TLS files imply TLS)",
    ]);
  }
  if (!parsed.KAFKA_SSL && !caFile && !certFile) return undefined;
  const read = options.readFiles ?? true;
  const config: KafkaTlsConfig = {
    ca: caFile && read ? readPem("KAFKA_SSL_CA_FILE", caFile, "CERTIFICATE") : undefined,
    caFile,
    cert: certFile && read ? readPem("KAFKA_SSL_CERT_FILE", certFile, "CERTIFICATE") : undefined,
    certFile,
    key: keyFile && read ? readPem("KAFKA_SSL_KEY_FILE", keyFile, "PRIVATE KEY") : undefined,
    keyFile,
    rejectUnauthorized: parsed.KAFKA_SSL_REJECT_UNAUTHORIZED ?? true,
  };
  if (config.cert && config.key) checkKeyPair(config.cert, config.key);
  return config;
}

/** A client certificate and a key that are not a pair fail every handshake: refused here. */
function checkKeyPair(cert: string, key: string): void {
  let matches: boolean;
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key));
  } catch (error) {
    throw new ConfigError([
      `KAFKA_SSL_CERT_FILE, KAFKA_SSL_KEY_FILE: cannot read the certificate or key (${
        (error as Error).message
      })`,
    ]);
  }
  if (!matches) {
    throw new ConfigError([
      "KAFKA_SSL_KEY_FILE: not the private key of the certificate in KAFKA_SSL_CERT_FILE",
    ]);
  }
}

/** The PEM text of `path`, refused with the variable's name when unreadable or not PEM. */
function readPem(variable: string, path: string, label: string): string {
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (error) {
    const reason = error instanceof Deno.errors.NotFound
      ? "no such file"
      : error instanceof Deno.errors.NotCapable
      ? "no read permission (start the program with its `deno task`, which grants it)"
      : (error as Error).message;
    throw new ConfigError([`${variable}: cannot read ${path}: ${reason}`]);
  }
  if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) {
    throw new ConfigError([
      `${variable}: ${path} holds no PEM ${label} (-----BEGIN …${label}-----)`,
    ]);
  }
  return text;
}
