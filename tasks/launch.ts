/**
 * The launcher behind `deno task start`, `deno task consumer:<name>`,
 * `deno task topics` and the producer tasks: it finds the brokers of the
 * configured cluster (the bootstrap list and every broker the cluster
 * advertises), computes the program's exact grant (tasks/programs.ts) and
 * runs it with those permissions, forwarding signals and its exit code.
 * The launcher itself reads a few variables and starts `deno`; it never
 * touches the network or the data.
 *
 *   deno task start            # = deno run tasks/launch.ts start
 *   deno task start --print    # prints the command it would run, and exits
 */
import { z } from "zod";
import { ConfigError, hostPortList, parseEnv, readEnv, runMain } from "../shared/core/config.ts";
import { kafkaTlsFiles, LOCAL_BROKER } from "../shared/kafka/config.ts";
import { discoverBrokers } from "../shared/permissions/discover_child.ts";
import { DiscoveryError } from "../shared/permissions/discover.ts";
import { absolutePath, grantFlags } from "../shared/permissions/grant.ts";
import { KAFKA_HOSTS_ENV } from "../shared/permissions/kafka_hosts.ts";
import { LAUNCHER_ENV, programs } from "./programs.ts";
import { v8FlagsArg } from "./v8_flags.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");

const schema = z.object({
  KAFKA_BROKERS: hostPortList.optional(),
  DATA_DIR: z.string().min(1).default("data"),
}).catchall(z.string().optional());

/** The command that runs `name` with its grant, and the brokers found. */
export async function launchCommand(
  name: string,
  args: string[],
  env: Record<string, string | undefined> = readEnv(LAUNCHER_ENV),
): Promise<{ args: string[]; env: Record<string, string>; brokers: string[] }> {
  const config = parseEnv(schema, env);
  const all = programs(env);
  const program = all.find((p) => p.name === name);
  if (!program) {
    throw new ConfigError([
      `unknown program "${name}"; expected one of ${all.map((p) => p.name).join(", ")}`,
    ]);
  }
  const bootstrap = config.KAFKA_BROKERS ?? [LOCAL_BROKER];
  const { brokers } = await discoverBrokers({
    principal: program.principal,
    bootstrap,
    read: kafkaTlsFiles(env).map(absolutePath),
    env,
  });
  const grant = program.grant({ root: ROOT, env, dataDir: config.DATA_DIR, brokers });
  return {
    args: [
      "run",
      v8FlagsArg(),
      ...grantFlags(grant),
      decodeURIComponent(program.entry.pathname),
      ...args,
    ],
    env: { [KAFKA_HOSTS_ENV]: brokers.join(",") },
    brokers,
  };
}

if (import.meta.main) {
  await runMain(async () => {
    const [name, ...rest] = Deno.args;
    const print = rest.includes("--print");
    const args = rest.filter((a) => a !== "--print");
    let command;
    try {
      command = await launchCommand(name ?? "", args);
    } catch (error) {
      if (!(error instanceof DiscoveryError)) throw error;
      console.error(
        `error: ${error.message}\n` +
          (Deno.env.get("KAFKA_BROKERS") === undefined
            ? "  (no KAFKA_BROKERS: the local broker; start it with `deno task kafka`, or use `deno task dev`)"
            : "  (check KAFKA_BROKERS and the principal's KAFKA_*_USERNAME/PASSWORD)"),
      );
      Deno.exit(1);
    }
    if (print) {
      console.log(
        `${KAFKA_HOSTS_ENV}=${command.env[KAFKA_HOSTS_ENV]} deno ${command.args.join(" ")}`,
      );
      return;
    }
    const child = new Deno.Command("deno", {
      args: command.args,
      env: command.env,
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
    // Ctrl-C reaches the whole process group; other signals are passed on.
    Deno.addSignalListener("SIGINT", () => {});
    for (const signal of ["SIGTERM", "SIGHUP"] as const) {
      Deno.addSignalListener(signal, () => {
        try {
          child.kill(signal);
        } catch { /* already gone */ }
      });
    }
    const status = await child.status;
    Deno.exit(status.signal ? 128 + (status.signal === "SIGKILL" ? 9 : 15) : status.code);
  });
}
