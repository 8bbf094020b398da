/**
 * `deno task kafka [--fresh] [--brokers N]`: runs the local Apache Kafka
 * cluster in the foreground until Ctrl-C or SIGTERM.
 */
import { parseArgs } from "node:util";
import { runMain } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { localPasswords, ROOT } from "./ensure.ts";
import { startLocalCluster } from "./local_cluster.ts";

const log = createLogger("kafka");

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
        "  --fresh      wipe the local data (topics, messages, users) first\n" +
        "  --brokers N  start an N-node KRaft cluster on 127.0.0.1:9092.. (default 1)",
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
    `Kafka is running on ${
      cluster.brokers.join(",")
    } (SASL/SCRAM-SHA-256, user admin). Ctrl-C stops it.`,
  );
  await cluster.exited;
  if (!stopping) {
    log.error("the broker exited unexpectedly", { logs: cluster.logDirs.join(",") });
    Deno.exit(1);
  }
});
