/**
 * deno.json's tasks and the launcher grant exactly what the code needs:
 * deno.json is what tasks/deno_json.ts computes (short task lines naming a
 * permission set, each set's variables from the code and the root list);
 * every launched task runs tasks/launch.ts with the launcher's own small
 * grant; the server's grant covers every variable it and its consumer
 * Workers read (a Worker can only get what the server has); a standalone
 * consumer gets its Worker's grant plus the bus socket; names and folders
 * follow the configuration.
 */
import assert from "node:assert/strict";
import { consumerEntries } from "../freshet.ts";
import { consumerPermissions } from "../shared/consumer/workers.ts";
import { ConfigError } from "../shared/core/config.ts";
import { absolutePath } from "../shared/permissions/grant.ts";
import { type LaunchContext, LAUNCHER_ENV, programs, serverEnvNames } from "./programs.ts";
import { type PermissionSet, syncedConfig } from "./deno_json.ts";
import { expandPermissionSet } from "./print_task.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const config = JSON.parse(await Deno.readTextFile(`${root}/deno.json`));
const tasks: Record<string, string> = config.tasks;
const sets: Record<string, PermissionSet> = config.permissions;

function context(env: Record<string, string> = {}, brokers = ["127.0.0.1:9092"]): LaunchContext {
  return { root, env, dataDir: env.DATA_DIR ?? "data", brokers };
}

/** The permission set a task line names (`-P=<set>`). */
function setOf(task: string): PermissionSet {
  const name = tasks[task]?.match(/-P=(\S+)/)?.[1];
  assert.ok(name && sets[name], `task ${task} runs with a permission set: ${tasks[task]}`);
  return sets[name];
}

/** A list of a set (undefined: not granted; true: all). */
function listOf(set: PermissionSet, kind: keyof PermissionSet): string[] {
  const value = set[kind];
  assert.notEqual(value, true, `${kind}: a list, never everything`);
  return (value || []) as string[];
}

Deno.test("deno.json - its tasks and permission sets are what the code computes (deno task sync)", () => {
  assert.deepEqual(config, syncedConfig(config), "deno.json is out of date: run `deno task sync`");
});

Deno.test("deno.json - a person reads it: every task under 200 characters, never -A", () => {
  for (const [name, line] of Object.entries(tasks)) {
    assert.ok(line.length < 200, `${name}: ${line.length} characters`);
    assert.doesNotMatch(line, /(^|\s)-A\b|--allow-all/, name);
  }
  for (const [name, set] of Object.entries(sets)) {
    for (const kind of ["read", "write", "net", "run"] as const) {
      assert.notEqual(set[kind], true, `${name}.${kind}: a list, never everything`);
    }
  }
});

Deno.test("deno.json - every launched program has a task running the launcher with its grant", () => {
  const launcher = sets.launcher;
  assert.deepEqual(listOf(launcher, "env").toSorted(), [...LAUNCHER_ENV].toSorted());
  assert.deepEqual(listOf(launcher, "run"), ["deno"]);
  assert.deepEqual(listOf(launcher, "read"), ["."]);
  assert.equal(launcher.net, undefined);
  assert.equal(launcher.write, undefined);
  for (const program of programs({})) {
    const command = tasks[program.name];
    assert.ok(command, `task ${program.name}`);
    assert.equal(command, `deno run -q -P=launcher tasks/launch.ts ${program.name}`);
  }
});

Deno.test("deno.json - dev and test may read every variable the launcher reads", () => {
  for (const task of ["dev", "test", "chaos"]) {
    const allowed = new Set(listOf(setOf(task), "env"));
    assert.deepEqual(LAUNCHER_ENV.filter((n) => !allowed.has(n)), [], task);
    assert.ok(allowed.has("SCHEMA_REGISTRY_URL"), `${task}: tasks/run_tests.ts reads it`);
  }
});

Deno.test("launcher - the server's grant", async (t) => {
  const server = programs({}).find((p) => p.name === "start")!;
  await t.step("every variable the server and its consumers read", () => {
    const granted = new Set(server.grant(context()).env);
    const needed = serverEnvNames();
    for (const entry of consumerEntries({})) {
      const env = consumerPermissions(entry, { dataDir: "data", brokers: [] }).env as string[];
      needed.push(...env);
    }
    assert.deepEqual(needed.filter((n) => !granted.has(n)), []);
  });
  await t.step("the brokers found, where it listens, its data folder and bus socket", () => {
    const grant = server.grant(
      context({ HOST: "0.0.0.0", PORT: "8080", DATA_DIR: "/srv/freshet" }, [
        "kafka:9092",
        "10.0.0.5:9092",
      ]),
    );
    assert.deepEqual(grant.net, [
      "kafka:9092",
      "10.0.0.5:9092",
      "0.0.0.0:8080",
      "unix:/srv/freshet/bus.sock",
    ]);
    assert.deepEqual(grant.write, ["/srv/freshet"]);
    assert.deepEqual(grant.read, [root, "/srv/freshet"]);
    assert.equal(grant.run, undefined);
  });
  await t.step("the TLS files are readable, and nothing else is added", () => {
    const env = {
      KAFKA_SSL_CA_FILE: "certs/ca.pem",
      KAFKA_SSL_CERT_FILE: "/etc/freshet/client.pem",
      KAFKA_SSL_KEY_FILE: "/etc/freshet/client.key",
    };
    const grant = server.grant(context(env));
    assert.deepEqual(grant.read, [
      root,
      absolutePath("data"),
      absolutePath("certs/ca.pem"),
      "/etc/freshet/client.pem",
      "/etc/freshet/client.key",
    ]);
  });
});

Deno.test("launcher - every program that talks to Kafka may read the TLS files, and only those outside its own", () => {
  const env = {
    KAFKA_SSL_CA_FILE: "/etc/ssl/kafka-ca.pem",
    KAFKA_SSL_CERT_FILE: "/etc/c.pem",
    KAFKA_SSL_KEY_FILE: "/etc/c.key",
  };
  const files = ["/etc/ssl/kafka-ca.pem", "/etc/c.pem", "/etc/c.key"];
  for (const program of programs(env)) {
    const grant = program.grant(context(env));
    for (const file of files) assert.ok(grant.read.includes(file), `${program.name} reads ${file}`);
    // Relative paths are the program's data folder, under the project.
    const outside = grant.read.filter((path) =>
      path.startsWith("/") && !path.startsWith(root) && !files.includes(path)
    );
    assert.deepEqual(outside, [], program.name);
    assert.ok(grant.env.includes("KAFKA_SSL"), `${program.name} reads KAFKA_SSL`);
  }
});

Deno.test("launcher - a standalone consumer gets its Worker's grant and the bus socket", async (t) => {
  for (const entry of consumerEntries({})) {
    await t.step(entry.name, () => {
      const program = programs({}).find((p) => p.name === `consumer:${entry.task}`)!;
      const grant = program.grant(context());
      const worker = consumerPermissions(entry, { dataDir: "data", brokers: ["127.0.0.1:9092"] });
      assert.deepEqual(grant.read, worker.read);
      assert.deepEqual(grant.write, worker.write);
      assert.deepEqual(grant.env, worker.env);
      assert.deepEqual(grant.net, [
        ...(worker.net as string[]),
        `unix:${absolutePath("data/bus.sock")}`,
      ]);
      assert.equal(program.entry.href, new URL(entry.url).href);
    });
  }
});

Deno.test("launcher - instance names decide the folders; a name that is not a folder name is refused", async (t) => {
  await t.step("DOCTOR_NAME and PAYMENTS_INSTANCE", () => {
    const env = { DOCTOR_NAME: "chaos", PAYMENTS_INSTANCE: "b", DATA_DIR: "/var/lib/freshet" };
    const all = programs(env);
    const doctor = all.find((p) => p.name === "consumer:doctor")!.grant(context(env));
    assert.deepEqual(doctor.write, ["/var/lib/freshet/doctor-chaos", "/var/lib/freshet/bus.sock"]);
    const payments = all.find((p) => p.name === "consumer:payments")!.grant(context(env));
    assert.ok(payments.write.includes("/var/lib/freshet/payments-service-b"));
  });
  await t.step("../ in DOCTOR_NAME", () => {
    assert.throws(() => programs({ DOCTOR_NAME: "../etc" }), ConfigError);
  });
});

Deno.test("deno.json - the bench may read every variable of the server it starts", () => {
  for (const task of ["bench", "bench:profile"]) {
    const allowed = new Set(listOf(setOf(task), "env"));
    assert.deepEqual(serverEnvNames().filter((n) => !allowed.has(n)), [], task);
  }
});

Deno.test("deno task print - a permission set spelled out as the flags it grants", () => {
  assert.equal(
    expandPermissionSet("deno run -q -P=x a.ts --y", {
      x: { read: [".", "/tmp"], env: ["A", "B"], sys: true },
    }),
    "deno run -q --allow-read=.,/tmp --allow-env=A,B --allow-sys a.ts --y",
  );
  assert.throws(() => expandPermissionSet("deno run -P=nope a.ts", {}), /no permission set "nope"/);
  const dev = expandPermissionSet(tasks.dev, sets);
  assert.match(dev, /--allow-env=\S*KAFKA_ADMIN_PASSWORD/);
  assert.doesNotMatch(dev, /-P=/);
});
