/**
 * The local broker's jars: fetched once from Maven Central by `mvn`
 * (declared in kafka/pom.xml) into .cache/kafka/libs, fetched again only
 * when the pom changes.
 */
import { sha256Hex } from "../shared/core/hex.ts";
import { createLogger } from "../shared/core/log.ts";

const log = createLogger("kafka:jars");

/** Returns the folder holding the broker's jars, fetching them if needed. */
export async function ensureKafkaJars(root: string): Promise<string> {
  const pom = `${root}/kafka/pom.xml`;
  const libs = `${root}/.cache/kafka/libs`;
  const marker = `${libs}/.pom.sha256`;
  const wanted = await sha256Hex(await Deno.readTextFile(pom));
  const have = await Deno.readTextFile(marker).catch(() => "");
  if (have === wanted) return libs;

  log.info("fetching the Kafka broker jars from Maven Central (first run only)", { into: libs });
  await Deno.remove(libs, { recursive: true }).catch(() => {});
  const mvn = new Deno.Command("mvn", {
    args: [
      "-B",
      "-q",
      "-f",
      pom,
      "dependency:copy-dependencies",
      `-DoutputDirectory=${libs}`,
      "-DincludeScope=runtime",
    ],
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await mvn.output().catch((error) => {
    throw new Error(`cannot run mvn (is Maven installed and on PATH?): ${error.message}`);
  });
  if (code !== 0) throw new Error(`mvn failed with exit code ${code} while fetching Kafka jars`);
  await Deno.writeTextFile(marker, wanted);
  log.info("Kafka jars ready", { libs });
  return libs;
}

/** The java executable: `$JAVA_HOME/bin/java` when set, else `java` on PATH. */
export function javaCommand(javaHome: string | undefined): string {
  return javaHome ? `${javaHome}/bin/java` : "java";
}
