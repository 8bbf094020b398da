/**
 * Expected conditions end a program with one line and an exit code, never
 * an uncaught stack trace, and leave nothing behind (issue 17, item 3): a
 * second `deno task kafka` on addresses in use, a server stopped after its
 * bus socket was removed, a second server on the same data folder or the
 * same port.
 */
import assert from "node:assert/strict";
import { busSocketPath } from "../shared/bus/bridge.ts";
import { runDeno } from "./helpers.ts";
import { launch, type Launched } from "./launched.ts";

const ROOT = new URL("..", import.meta.url).pathname;

/** The arguments `deno task <name>` runs with (deno.json). */
async function taskArgs(name: string): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const line: string = config.tasks[name];
  return line.replace(/^deno /, "").split(" ");
}

/** The exit status of a program that should end by itself (it is stopped after `ms`). */
async function endOf(program: Launched, ms = 60_000): Promise<Deno.CommandStatus | "running"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const status = await Promise.race([
    program.status,
    new Promise<"running">((r) => (timer = setTimeout(() => r("running"), ms))),
  ]);
  clearTimeout(timer);
  if (status === "running") await program.stop();
  return status;
}

/** No stack trace, no "Uncaught". */
function assertOneLineEnd(output: string): void {
  assert.doesNotMatch(output, /Uncaught|\n {4}at /, output);
}

/** A server on a free port with its own data folder, once it runs. */
async function startServer(dataDir: string, port = "0"): Promise<Launched> {
  const server = await launch("start", {
    env: { DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: port, LOG_LEVEL: "warn" },
  });
  await server.waitForOutput(/Freshet is running at http:\/\/127\.0\.0\.1:\d+/, 120_000);
  return server;
}

Deno.test("clean ends - a second `deno task kafka` on addresses in use: one line, exit 1, nothing made", async () => {
  // The 3-node local cluster's first node listens on 127.0.0.2:9092: hold that address.
  const holder = Deno.listen({ hostname: "127.0.0.2", port: 9092 });
  try {
    const run = await runDeno([...await taskArgs("kafka"), "--brokers", "3"], {
      env: { PATH: Deno.env.get("PATH") ?? "", HOME: Deno.env.get("HOME") ?? "" },
    });
    const output = run.stdout + run.stderr;
    assert.equal(run.code, 1, output);
    assert.match(
      run.stderr,
      /^error: 127\.0\.0\.2:9092 is already in use: is another broker running\?/m,
    );
    assertOneLineEnd(output);
  } finally {
    holder.close();
  }
});

Deno.test("clean ends - the server stops cleanly when its bus socket is already gone; a second one is refused", async (t) => {
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-clean-ends-" });
  const otherDir = await Deno.makeTempDir({ prefix: "freshet-clean-ends-other-" });
  const server = await startServer(dataDir);
  try {
    const url = server.output().match(/Freshet is running at (http:\S+) \(/)![1];
    const port = new URL(url).port;

    await t.step(
      "a second server on the same data folder: one line, exit 1; the first keeps its socket",
      async () => {
        const second = await launch("start", {
          env: { DATA_DIR: dataDir, HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "warn" },
        });
        const status = await endOf(second);
        assert.notEqual(status, "running", `the second server took over:\n${second.output()}`);
        assert.equal((status as Deno.CommandStatus).code, 1, second.output());
        assert.match(second.output(), /error: .*bus\.sock is in use by another Freshet server/);
        assertOneLineEnd(second.output());
        assert.ok(
          (await Deno.stat(busSocketPath(dataDir))).isSocket,
          "the first one's socket stays",
        );
      },
    );

    await t.step("a second server on the same port: one line, exit 1, no socket left", async () => {
      const second = await launch("start", {
        env: { DATA_DIR: otherDir, HOST: "127.0.0.1", PORT: port, LOG_LEVEL: "warn" },
      });
      const status = await endOf(second);
      assert.notEqual(status, "running", second.output());
      assert.equal((status as Deno.CommandStatus).code, 1, second.output());
      assert.match(second.output(), new RegExp(`error: 127\\.0\\.0\\.1:${port} is already in use`));
      assertOneLineEnd(second.output());
      await assert.rejects(Deno.stat(busSocketPath(otherDir)), Deno.errors.NotFound);
    });

    await t.step("its socket removed, Ctrl-C stops it: exit 0, no stack trace", async () => {
      await Deno.remove(busSocketPath(dataDir));
      server.child.kill("SIGINT");
      const status = await server.status;
      assert.equal(status.code, 0, server.output().slice(-3000));
      assertOneLineEnd(server.output());
    });
  } finally {
    await server.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    await Deno.remove(otherDir, { recursive: true }).catch(() => {});
  }
});
