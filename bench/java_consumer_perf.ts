/**
 * Kafka's own Java consumer benchmark (`ConsumerPerformance` from the
 * kafka-tools jar, the class behind kafka-consumer-perf-test.sh), run on
 * the same broker and topic as ours: the reference for consumer ratios.
 */
import { javaClientProperties } from "../kafka/java_client_properties.ts";
import type { KafkaConfig } from "../shared/kafka/config.ts";

/** What ConsumerPerformance measured. */
export interface JavaConsumerResult {
  messages: number;
  /** Messages per second while fetching (rebalance time excluded). */
  fetchMsgsPerSec: number;
  /** Messages per second over the whole run. */
  msgsPerSec: number;
}

/** Runs ConsumerPerformance over `messages` messages of `topic`. */
export async function javaConsumerPerf(
  config: KafkaConfig,
  options: { libs: string; topic: string; messages: number; javaHome?: string; tmpDir: string },
): Promise<JavaConsumerResult> {
  const props = `${options.tmpDir}/java-consumer.properties`;
  await Deno.writeTextFile(props, javaClientProperties({ ...config.sasl!, ssl: !!config.ssl }), {
    mode: 0o600,
  });
  const java = options.javaHome ? `${options.javaHome}/bin/java` : "java";
  const out = await new Deno.Command(java, {
    args: [
      "-Xmx1g",
      "-cp",
      `${options.libs}/*`,
      "org.apache.kafka.tools.ConsumerPerformance",
      "--bootstrap-server",
      config.brokers.join(","),
      "--topic",
      options.topic,
      "--messages",
      String(options.messages),
      "--group",
      `admin-bench-java-${crypto.randomUUID().slice(0, 8)}`,
      "--command-config",
      props,
      "--timeout",
      "60000",
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(
      `ConsumerPerformance failed: ${new TextDecoder().decode(out.stderr).slice(-800)}`,
    );
  }
  // CSV: start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec,
  //      rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
  const row = text.trim().split("\n").filter((l) => /^\d{4}-/.test(l)).at(-1);
  if (!row) throw new Error(`no result line from ConsumerPerformance:\n${text}`);
  const cols = row.split(",").map((c) => c.trim());
  return {
    messages: Number(cols[4]),
    msgsPerSec: Number(cols[5]),
    fetchMsgsPerSec: Number(cols[9]),
  };
}
