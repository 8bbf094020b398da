/**
 * What `deno task kafka:cli` does before it starts a Java tool: in a child
 * process granted exactly the brokers, the TLS files and its login folder
 * (cli_tls_main.ts), checks that TLS (or plaintext) works with the brokers
 * as configured, and writes the client keystore when a client certificate
 * is configured. Java's own client would answer a TLS port's alert with an
 * OutOfMemoryError, a plaintext port with a minute's timeout, a wrong CA
 * with a stack trace; this names the broker and the problem first.
 */
import { kafkaEnvNames, kafkaTlsFiles } from "../shared/kafka/config.ts";
import { absolutePath, grantFlags } from "../shared/permissions/grant.ts";

const MAIN = new URL("./cli_tls_main.ts", import.meta.url).pathname;

/** TLS could not be used with the brokers as configured; `code` says why (see tls_errors.ts). */
export class CliTlsError extends Error {
  readonly retriable = false;
  constructor(message: string, readonly code: string) {
    super(message);
    this.name = "CliTlsError";
  }
}

/**
 * Checks the brokers' transport for `principal`; returns the PEM keystore
 * written into `loginDir` when a client certificate is configured.
 */
export async function prepareCliTls(options: {
  principal: string;
  brokers: string[];
  loginDir: string;
  env: Record<string, string | undefined>;
}): Promise<{ keystore?: string }> {
  const output = await new Deno.Command("deno", {
    args: [
      "run",
      ...grantFlags({
        net: options.brokers,
        read: kafkaTlsFiles(options.env).map(absolutePath),
        write: [options.loginDir],
        env: [...kafkaEnvNames(options.principal), "LOG_LEVEL"],
      }),
      MAIN,
      options.principal,
      options.loginDir,
    ],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const line = new TextDecoder().decode(output.stdout).trim().split("\n").at(-1) ?? "";
  let answer: { ok?: boolean; keystore?: string; error?: string; code?: string };
  try {
    answer = JSON.parse(line);
  } catch {
    const stderr = new TextDecoder().decode(output.stderr).trim();
    throw new CliTlsError(
      `the TLS check failed: ${stderr || line || `exit ${output.code}`}`,
      "CHECK_FAILED",
    );
  }
  if (answer.error) throw new CliTlsError(answer.error, answer.code ?? "CHECK_FAILED");
  return { keystore: answer.keystore };
}
