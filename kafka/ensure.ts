/**
 * "Use the configured Kafka, else the running local one, else start one":
 * the rule shared by `deno task dev` and `deno task test`.
 */
import { principalEnvNames } from "../shared/kafka/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { LOCAL_TLS_BROKER } from "../shared/kafka/local_tls.ts";
import { localPassword } from "../shared/kafka/principals.ts";
import { PRINCIPALS } from "../freshet.ts";
import {
  isListening,
  type LocalCluster,
  startLocalCluster,
  waitForLogin,
} from "./local_cluster.ts";

const log = createLogger("kafka");

/** Every variable the local broker reads: the principals' passwords and JAVA_HOME. */
export function localBrokerEnvNames(): string[] {
  return ["KAFKA_BROKERS", "JAVA_HOME", ...PRINCIPALS.map((p) => principalEnvNames(p)[1])];
}

/** The password of every principal on the local broker (env overrides the defaults). */
export function localPasswords(): Record<string, string> {
  return Object.fromEntries(
    PRINCIPALS.map((p) => [p, Deno.env.get(principalEnvNames(p)[1]) || localPassword(p)]),
  );
}

/** Project root: the folder holding deno.json. */
export const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

/**
 * Makes sure a broker is there. Returns the local cluster this call started
 * (the caller stops it), or null when a configured or already running
 * broker is used.
 */
export async function ensureBroker(
  options: { fresh?: boolean; brokers?: number } = {},
): Promise<LocalCluster | null> {
  if (Deno.env.get("KAFKA_BROKERS")) {
    log.info("using the configured cluster", { KAFKA_BROKERS: Deno.env.get("KAFKA_BROKERS") });
    return null;
  }
  const passwords = localPasswords();
  if (await isListening(9092)) {
    if (options.fresh) {
      throw new Error("--fresh needs the running local broker to be stopped first");
    }
    await waitForLogin(["127.0.0.1:9092"], passwords.admin, { timeoutMs: 30_000 });
    log.info("reusing the local broker already running on 127.0.0.1:9092");
    const [host, port] = LOCAL_TLS_BROKER.split(":");
    if (!(await isListening(Number(port), host))) {
      log.warn(
        `the running local broker has no TLS listener on ${LOCAL_TLS_BROKER} (started by an ` +
          "older version): restart it (`deno task kafka`) for TLS",
      );
    }
    return null;
  }
  return await startLocalCluster({
    root: ROOT,
    passwords,
    fresh: options.fresh,
    brokers: options.brokers,
    javaHome: Deno.env.get("JAVA_HOME"),
  });
}
