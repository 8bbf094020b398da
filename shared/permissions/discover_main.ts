/**
 * The discovery child of the launcher: `deno run --allow-net=<brokers so
 * far> --allow-env=<the principal's Kafka variables> discover_main.ts
 * <principal>` prints one JSON line, a `DiscoveryRound` or `{"error", "code"}`.
 */
import { readEnv } from "../core/config.ts";
import { errorCode, errorMessage } from "../core/errors.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../kafka/config.ts";
import { discoverRound } from "./discover.ts";

if (import.meta.main) {
  const principal = Deno.args[0];
  try {
    const config = loadKafkaConfig(principal, readEnv(kafkaEnvNames(principal)));
    console.log(JSON.stringify(await discoverRound(config)));
    Deno.exit(0);
  } catch (error) {
    console.log(JSON.stringify({ error: errorMessage(error), code: errorCode(error) }));
    Deno.exit(1);
  }
}
