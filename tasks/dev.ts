/**
 * `deno task dev`: the whole system on one machine. Uses the configured
 * cluster, else the running local broker, else starts one (and stops it on
 * exit); applies topics and ACLs; then runs the web server (which runs the
 * consumers as Workers) exactly as `deno task start` does, with the same
 * permissions (tasks/launch.ts).
 */
import { ensureBroker } from "../kafka/ensure.ts";
import { runMain } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { runProgram, spawnProgram } from "./launched.ts";

const log = createLogger("dev");

await runMain(async () => {
  const cluster = await ensureBroker();
  const running: { server?: Deno.ChildProcess } = {};
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    if (running.server) {
      try {
        running.server.kill("SIGTERM");
      } catch { /* already gone */ }
      await running.server.status;
    }
    if (cluster) {
      log.info("stopping the local broker");
      await cluster.stop();
    }
    Deno.exit(code);
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    Deno.addSignalListener(signal, () => stop(0));
  }
  try {
    await runProgram("topics");
  } catch (error) {
    log.error("cannot provision topics and ACLs", { error });
    await stop(1);
  }
  const server = running.server = await spawnProgram("start");
  const status = await server.status;
  if (!stopping) {
    log.error("the web server exited", { code: status.code });
    await stop(status.code || 1);
  }
});
