/**
 * deno.json's tasks and the launcher grant exactly what the code needs:
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

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const tasks: Record<string, string> = JSON.parse(
  await Deno.readTextFile(`${root}/deno.json`),
).tasks;

function context(env: Record<string, string> = {}, brokers = ["127.0.0.1:9092"]): LaunchContext {
  return { root, env, dataDir: env.DATA_DIR ?? "data", brokers };
}

function flagValues(command: string, flag: string): string[] {
  const match = command.match(new RegExp(`${flag}=(\\S+)`));
  assert.ok(match, `${flag} in ${command.slice(0, 60)}…`);
  return match[1].split(",");
}

Deno.test("deno.json - every launched program has a task running the launcher with its grant", () => {
  for (const program of programs({})) {
    const command = tasks[program.name];
    assert.ok(command, `task ${program.name}`);
    assert.match(command, new RegExp(`tasks/launch\\.ts ${program.name}$`));
    assert.deepEqual(flagValues(command, "--allow-env").toSorted(), [...LAUNCHER_ENV].toSorted());
    assert.deepEqual(flagValues(command, "--allow-run"), ["deno"]);
    assert.doesNotMatch(command, /--allow-net|--allow-write|-A\b|--allow-all/);
  }
});

Deno.test("deno.json - dev and test may read every variable the launcher reads", () => {
  for (const task of ["dev", "test"]) {
    const allowed = new Set(flagValues(tasks[task], "--allow-env"));
    assert.deepEqual(LAUNCHER_ENV.filter((n) => !allowed.has(n)), [], task);
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
    const allowed = new Set(flagValues(tasks[task], "--allow-env"));
    assert.deepEqual(serverEnvNames().filter((n) => !allowed.has(n)), [], task);
  }
});
