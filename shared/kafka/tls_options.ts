/** The options `tls.connect` takes from Freshet's TLS settings. */
import type tls from "node:tls";
import type { KafkaTlsConfig } from "./tls_config.ts";

/** `ssl` without the file names (`tls.connect` takes PEM texts). */
export function tlsOptions(ssl: KafkaTlsConfig): tls.ConnectionOptions {
  const { caFile: _ca, certFile: _cert, keyFile: _key, ...options } = ssl;
  return options;
}
