/**
 * `deno task kafka [--fresh] [--brokers N]`: runs the local Apache Kafka
 * cluster in the foreground until Ctrl-C or SIGTERM.
 */
import { parseArgs } from "node:util";
import { runMain } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { localPasswords, ROOT } from "./ensure.ts";
import { removeDerivedData } from "./derived_data.ts";
import { startLocalCluster } from "./local_cluster.ts";

const log = createLogger("kafka");

/** `path` relative to the project root when under it. */
const relative = (path: string) => path.startsWith(`${ROOT}/`) ? path.slice(ROOT.length + 1) : path;

await runMain(async () => {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      fresh: { type: "boolean", default: false },
      brokers: { type: "string", default: "1" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) {
    console.log(
      "usage: deno task kafka [--fresh] [--brokers N]\n" +
        "  --fresh      wipe the cluster's data (topics, messages, users) first; for the\n" +
        "               single broker also the services' databases built from it (data/*/)\n" +
        "  --brokers N  an N-node KRaft cluster, node i on 127.0.0.(1+i):9092, data in\n" +
        "               data/kafka-N (default 1: 127.0.0.1:9092, data in data/kafka)\n" +
        "Each node also listens for SASL_SSL on port 9093; the CA clients trust is\n" +
        "data/kafka/tls/ca.pem (data/kafka-N/tls/ca.pem), made at the first start.",
    );
    return;
  }
  const brokers = Number(values.brokers);
  if (!Number.isInteger(brokers) || brokers < 1 || brokers > 9) {
    console.error(
      `--brokers: expected a number from 1 to 9 (got ${JSON.stringify(values.brokers)})`,
    );
    Deno.exit(2);
  }
  if (Deno.env.get("KAFKA_BROKERS")) {
    console.error(
      "KAFKA_BROKERS is set: Freshet uses that cluster; unset it to run the local broker.",
    );
    Deno.exit(2);
  }
  if (values.fresh && brokers === 1) {
    // Every consumer database counts offsets of the log about to be wiped.
    const derived = await removeDerivedData(`${ROOT}/data`);
    for (const folder of derived.removed) log.info("removed, built from the wiped log", { folder });
    for (const { folder, holder } of derived.inUse) {
      console.error(
        `error: ${folder} is in use (${holder}); stop that service, then run --fresh again`,
      );
    }
    if (derived.inUse.length > 0) Deno.exit(1);
  } else if (values.fresh) {
    console.log(
      "Services that consumed from this cluster keep their databases; they refuse to start on " +
        "the new one (its cluster id differs) and say which folder to remove.",
    );
  }
  const cluster = await startLocalCluster({
    root: ROOT,
    passwords: localPasswords(),
    fresh: values.fresh,
    brokers,
    javaHome: Deno.env.get("JAVA_HOME"),
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info("stopping Apache Kafka");
    await cluster.stop();
    log.info("stopped");
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  console.log(
    `Kafka is running on ${cluster.brokers.join(",")} (SASL_PLAINTEXT) and ${
      cluster.tlsBrokers.join(",")
    } (SASL_SSL, CA ${relative(cluster.caFile)}); SCRAM-SHA-256 or PLAIN, user admin. ` +
      "Ctrl-C stops it.",
  );
  await cluster.exited;
  if (!stopping) {
    log.error("the broker exited unexpectedly", { logs: cluster.logDirs.join(",") });
    Deno.exit(1);
  }
});
