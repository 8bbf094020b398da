/**
 * `deno task registry [--host H] [--port P]`: the local Schema Registry in
 * the foreground (Apicurio Registry from Maven Central, in memory; see
 * registry/pom.xml), until Ctrl-C. It prints the URL to put in
 * `SCHEMA_REGISTRY_URL`.
 */
import { runMain } from "../shared/core/config.ts";
import { startLocalRegistry } from "./local_registry.ts";

/** Project root: the folder holding deno.json. */
const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

function option(name: string, fallback: string): string {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 && Deno.args[i + 1] ? Deno.args[i + 1] : fallback;
}

if (import.meta.main) {
  await runMain(async () => {
    const port = Number(option("port", "8081"));
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      console.error(`registry: --port must be a port number (got ${option("port", "")})`);
      Deno.exit(2);
    }
    const registry = await startLocalRegistry({
      root: ROOT,
      host: option("host", "127.0.0.1"),
      port,
      javaHome: Deno.env.get("JAVA_HOME"),
      output: "inherit",
    });
    console.log(`Schema Registry ready: SCHEMA_REGISTRY_URL=${registry.url}`);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      Deno.addSignalListener(signal, () => void registry.stop());
    }
    const status = await registry.exited;
    Deno.exit(status.signal ? 0 : status.code);
  });
}
