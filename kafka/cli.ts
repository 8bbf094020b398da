/**
 * `deno task kafka:cli [--as PRINCIPAL] <tool> [args…]`: runs one of
 * Kafka's own command-line tools (kafka/cli_tools.ts) from the local
 * broker's Maven jars against the configured cluster (`KAFKA_BROKERS`, or
 * the local broker), logged in as the admin principal (or `--as` another):
 * `--bootstrap-server` and `--command-config` are added unless given. So a
 * seed's `docker exec kafka kafka-topics.sh --bootstrap-server
 * localhost:9092 --list` becomes `deno task kafka:cli kafka-topics --list`.
 *
 * The login goes in a temporary properties file (mode 0600, removed when
 * the tool exits, Ctrl-C included), never on a command line. Before the
 * tool starts, TLS (or plaintext) is checked against the brokers
 * (cli_tls.ts). The tool's input, output and exit code are its own. Exit
 * 2: bad usage; 1: no broker, or TLS does not work with it.
 */
import { errorMessage } from "../shared/core/errors.ts";
import { readEnv, runMain } from "../shared/core/config.ts";
import { kafkaEnvNames, loadKafkaConfig } from "../shared/kafka/config.ts";
import { PRINCIPALS } from "../freshet.ts";
import {
  BOOTSTRAP_OPTIONS,
  CONFIG_OPTIONS,
  hasOption,
  parseCliArgs,
  seedCompatibleArgs,
  toolArgs,
} from "./cli_args.ts";
import { CliTlsError, prepareCliTls } from "./cli_tls.ts";
import { cliProperties, writePropertiesFile } from "./cli_properties.ts";
import { findTool, KAFKA_TOOLS } from "./cli_tools.ts";
import { ROOT } from "./ensure.ts";
import { ensureKafkaJars, javaCommand } from "./jars.ts";
import { isListening } from "./local_cluster.ts";

/** Where the temporary login folder is made. */
const TEMP_PARENT = "/tmp";

/** JVM options: a small heap and a fast start, as fits a command-line tool. */
const JVM_OPTIONS = ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"];

/** The usage text. */
export function usage(): string {
  const width = Math.max(...KAFKA_TOOLS.map((t) => t.name.length));
  return [
    "usage: deno task kafka:cli [--as PRINCIPAL] <tool> [args…]",
    "",
    "Runs Kafka's own tool against the configured cluster (KAFKA_BROKERS, else 127.0.0.1:9092),",
    "logged in as admin (or PRINCIPAL). --bootstrap-server and --command-config are added unless",
    "given. `<tool> --help` prints the tool's own options. Tools:",
    "",
    ...KAFKA_TOOLS.map((t) => `  ${t.name.padEnd(width)}  ${t.summary}`),
    "",
    "Examples:",
    "  deno task kafka:cli kafka-topics --list",
    "  deno task kafka:cli kafka-console-consumer --topic orders.created --from-beginning --max-messages 10",
    "  deno task kafka:cli kafka-consumer-groups --describe --group payments-service-group",
    "  deno task kafka:cli --as monitor kafka-consumer-groups --list",
  ].join("\n");
}

function fail(message: string, code: number): never {
  console.error(`kafka:cli: ${message}`);
  Deno.exit(code);
}

/** Runs java until it exits, passing Ctrl-C / SIGTERM on; returns its exit code. */
async function runJava(java: string, args: string[]): Promise<number> {
  const child = new Deno.Command(java, {
    args,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // Ctrl-C reaches java from the terminal too; stay alive until it has exited, so the
  // login file is removed after it, and pass on signals sent to this process alone.
  const signals = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((signal) => {
    const listener = () => {
      try {
        child.kill(signal);
      } catch {
        // already gone
      }
    };
    Deno.addSignalListener(signal, listener);
    return () => Deno.removeSignalListener(signal, listener);
  });
  try {
    const status = await child.status;
    return status.signal ? 128 + signalNumber(status.signal) : status.code;
  } finally {
    for (const remove of signals) remove();
  }
}

function signalNumber(signal: Deno.Signal): number {
  return ({ SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 } as Record<string, number>)[signal] ??
    1;
}

if (import.meta.main) {
  await runMain(async () => {
    let request;
    try {
      request = parseCliArgs(Deno.args);
    } catch (error) {
      fail(`${errorMessage(error)}\n${usage()}`, 2);
    }
    if (request.help) {
      console.log(usage());
      return;
    }
    const tool = findTool(request.tool!);
    if (!tool) fail(`unknown tool ${JSON.stringify(request.tool)}\n${usage()}`, 2);
    if (!(PRINCIPALS as readonly string[]).includes(request.principal)) {
      fail(`unknown principal ${request.principal} (one of ${PRINCIPALS.join(", ")})`, 2);
    }
    // The TLS files are Java's to read (and the TLS check's, in its child).
    const config = loadKafkaConfig(request.principal, undefined, { readFiles: false });
    if (!Deno.env.get("KAFKA_BROKERS") && !(await isListening(9092))) {
      fail(
        "no broker on 127.0.0.1:9092: start one (`deno task kafka` or `deno task dev`) " +
          "or set KAFKA_BROKERS",
        1,
      );
    }
    const libs = await ensureKafkaJars(ROOT);
    const java = javaCommand(Deno.env.get("JAVA_HOME"));
    const compatible = seedCompatibleArgs(tool.name, request.args);
    const ownSettings = [...BOOTSTRAP_OPTIONS, ...CONFIG_OPTIONS].some((option) =>
      hasOption(compatible.args, option)
    );
    const login = await writePropertiesFile("", TEMP_PARENT);
    let code: number;
    try {
      let keystore: string | undefined;
      if (!ownSettings) {
        try {
          ({ keystore } = await prepareCliTls({
            principal: request.principal,
            brokers: config.brokers,
            loginDir: login.dir,
            env: readEnv(kafkaEnvNames(request.principal)),
          }));
        } catch (error) {
          if (error instanceof CliTlsError) {
            await login.remove(); // fail() exits at once: the finally below would not run
            fail(error.message, 1);
          }
          throw error;
        }
      }
      await Deno.writeTextFile(login.path, cliProperties(config, { keystore }));
      for (const note of compatible.notes) console.error(`kafka:cli: ${note}`);
      const args = toolArgs(compatible.args, { brokers: config.brokers, configFile: login.path });
      code = await runJava(java, [
        ...JVM_OPTIONS,
        `-Dlog4j2.configurationFile=${ROOT}/kafka/cli_log4j2.properties`,
        "-cp",
        `${libs}/*`,
        tool.className,
        ...args,
      ]);
    } finally {
      await login.remove();
    }
    Deno.exit(code);
  });
}
