/**
 * `deno task test`: makes sure a broker is there (the configured cluster,
 * the running local one, or a local one started for the run and stopped
 * after it), provisions topics and ACLs, runs `deno test` with explicit
 * permissions, and ends with the line `N passed, N failed`.
 *
 * Extra arguments go to `deno test` (e.g. a file or `--filter`).
 *
 * Tests of Schema Registry formats (files named `*schema*`) need a
 * registry: unless `SCHEMA_REGISTRY_URL` names one, a local one
 * (registry/local_registry.ts) is started once for the run, on a free
 * loopback port, and stopped after it.
 */
import { ensureBroker } from "../kafka/ensure.ts";
import { runMain } from "../shared/core/config.ts";
import { createLogger } from "../shared/core/log.ts";
import { launchCommand } from "./launch.ts";
import { parseTestSummary } from "./test_summary.ts";
import { testPermissionFlags } from "./test_permissions.ts";
import { type LocalRegistry, startLocalRegistry } from "../registry/local_registry.ts";
import { ROOT } from "../kafka/ensure.ts";

const log = createLogger("test");

await runMain(async () => {
  const started = Date.now();
  const cluster = await ensureBroker();
  const args = Deno.args.length > 0 ? Deno.args : ["."];
  let registry: LocalRegistry | undefined;
  let code = 1;
  let output = "";
  try {
    const env: Record<string, string> = {};
    if (!Deno.env.get("SCHEMA_REGISTRY_URL") && args.some((a) => a === "." || /schema/.test(a))) {
      log.info("starting a local Schema Registry for the tests");
      registry = await startLocalRegistry({
        root: ROOT,
        port: 0,
        javaHome: Deno.env.get("JAVA_HOME"),
      });
      env.SCHEMA_REGISTRY_URL = registry.url;
    }
    // Topics and ACLs, applied as `deno task topics` would (the same grant).
    const topics = await launchCommand("topics", []);
    const provisioned = await new Deno.Command("deno", {
      args: topics.args,
      env: topics.env,
      stdin: "null",
    }).spawn().status;
    if (!provisioned.success) throw new Error("provisioning topics and ACLs failed; see above");
    const tmp = Deno.env.get("TMPDIR") || "/tmp";
    const child = new Deno.Command("deno", {
      args: ["test", ...testPermissionFlags(tmp, topics.brokers), ...args],
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    const decoder = new TextDecoder();
    for await (const chunk of child.stdout) {
      await Deno.stdout.write(chunk);
      output += decoder.decode(chunk, { stream: true });
    }
    code = (await child.status).code;
  } finally {
    await registry?.stop();
    if (cluster) {
      log.info("stopping the local broker started for the tests");
      await cluster.stop();
    }
  }
  const totals = parseTestSummary(output);
  log.info("test run finished", { seconds: Math.round((Date.now() - started) / 1000) });
  if (!totals) {
    console.log("0 passed, 1 failed");
    Deno.exit(code === 0 ? 1 : code);
  }
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  Deno.exit(code);
});
