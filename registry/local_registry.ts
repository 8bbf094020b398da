/**
 * The local Schema Registry (registry/pom.xml): Apicurio Registry built
 * once from Maven Central into `.cache/registry` (built again only when the
 * pom or its properties change), run by Java on a loopback address, in
 * memory. Used by `deno task registry` and by `deno task test`, which
 * starts one for the whole run.
 */
import { sha256Hex } from "../shared/core/hex.ts";
import { createLogger } from "../shared/core/log.ts";

const log = createLogger("registry");

/** The path of the Confluent-compatible API on the registry. */
export const CCOMPAT_PATH = "/apis/ccompat/v6";

/** JVM options: a small heap and a quick start, as fits a development registry. */
const JVM_OPTIONS = ["-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"];

/** Builds the registry if needed; returns its runnable jar. */
export async function ensureRegistryApp(root: string): Promise<string> {
  const pom = `${root}/registry/pom.xml`;
  const properties = `${root}/registry/src/main/resources/application.properties`;
  const build = `${root}/.cache/registry/build`;
  const jar = `${build}/quarkus-app/quarkus-run.jar`;
  const marker = `${root}/.cache/registry/.build.sha256`;
  const wanted = await sha256Hex(
    (await Deno.readTextFile(pom)) + (await Deno.readTextFile(properties)),
  );
  const have = await Deno.readTextFile(marker).catch(() => "");
  if (have === wanted && (await Deno.stat(jar).catch(() => null))) return jar;
  log.info("building the local Schema Registry from Maven Central (first run only)", {
    into: build,
  });
  const mvn = new Deno.Command("mvn", {
    args: ["-B", "-q", "-f", pom, "package", "-DskipTests", `-Dregistry.target=${build}`],
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await mvn.output().catch((error) => {
    throw new Error(`cannot run mvn (is Maven installed and on PATH?): ${error.message}`);
  });
  if (code !== 0) throw new Error(`mvn failed with exit code ${code} building the Schema Registry`);
  await Deno.writeTextFile(marker, wanted);
  return jar;
}

/** A running local registry. */
export interface LocalRegistry {
  /** The Confluent-compatible API, e.g. `http://127.0.0.1:8081/apis/ccompat/v6`. */
  url: string;
  /** Resolves when the Java process has exited. */
  exited: Promise<Deno.CommandStatus>;
  /** Stops it (SIGTERM, then SIGKILL after 10 s). */
  stop(): Promise<void>;
}

/** Options of `startLocalRegistry`. */
export interface StartRegistryOptions {
  root: string;
  host?: string;
  /** Default 8081; 0 picks a free one. */
  port?: number;
  javaHome?: string;
  /** Where Java's output goes (default: discarded, its errors to the log). */
  output?: "inherit" | "null";
  /** How long to wait for the API to answer (default 120 s). */
  readyTimeoutMs?: number;
}

function freePort(host: string): number {
  const listener = Deno.listen({ hostname: host, port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** Builds (if needed) and starts the registry; resolves once its API answers. */
export async function startLocalRegistry(options: StartRegistryOptions): Promise<LocalRegistry> {
  const jar = await ensureRegistryApp(options.root);
  const host = options.host ?? "127.0.0.1";
  const port = options.port === 0 ? freePort(host) : options.port ?? 8081;
  const java = options.javaHome ? `${options.javaHome}/bin/java` : "java";
  const child = new Deno.Command(java, {
    args: [
      ...JVM_OPTIONS,
      `-Dquarkus.http.host=${host}`,
      `-Dquarkus.http.port=${port}`,
      "-jar",
      jar,
    ],
    stdin: "null",
    stdout: options.output ?? "null",
    stderr: options.output ?? "null",
  }).spawn();
  const exited = child.status;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}${CCOMPAT_PATH}`;
  let stopping: Promise<void> | undefined;
  const stop = () =>
    stopping ??= (async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        return; // already ended
      }
      const timer = setTimeout(() => {
        try {
          child.kill("SIGKILL");
        } catch {
          // ended meanwhile
        }
      }, 10_000);
      await exited;
      clearTimeout(timer);
    })();
  const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
  let ended = false;
  exited.then(() => ended = true);
  while (!ended) {
    const ok = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(2_000) })
      .then(async (res) => (await res.body?.cancel(), res.ok))
      .catch(() => false);
    if (ok) return { url, exited, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the Schema Registry did not answer at ${url} within its start time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the Schema Registry exited with code ${(await exited).code} before it answered`);
}
