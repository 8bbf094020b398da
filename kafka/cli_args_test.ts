import assert from "node:assert/strict";
import { kafkaEnvNames } from "../shared/kafka/config.ts";
import { PRINCIPALS } from "../freshet.ts";
import { expandPermissionSet } from "../tasks/print_task.ts";
import { parseCliArgs, seedCompatibleArgs, toolArgs } from "./cli_args.ts";
import { cliProperties, writePropertiesFile } from "./cli_properties.ts";
import { findTool, KAFKA_TOOLS } from "./cli_tools.ts";

const added = {
  brokers: ["127.0.0.1:9092", "127.0.0.1:9093"],
  configFile: "/tmp/x/client.properties",
};

Deno.test("kafka:cli args - the brokers and the login go first, unless given", async (t) => {
  await t.step("added before the tool's own arguments (sub-commands come after)", () => {
    assert.deepEqual(toolArgs(["describe-producers", "--topic", "a"], added), [
      "--bootstrap-server",
      "127.0.0.1:9092,127.0.0.1:9093",
      "--command-config",
      "/tmp/x/client.properties",
      "describe-producers",
      "--topic",
      "a",
    ]);
  });
  await t.step("a seed's own --bootstrap-server is kept", () => {
    assert.deepEqual(toolArgs(["--list", "--bootstrap-server", "localhost:9092"], added), [
      "--command-config",
      "/tmp/x/client.properties",
      "--list",
      "--bootstrap-server",
      "localhost:9092",
    ]);
    assert.equal(toolArgs(["--bootstrap-controller=c:9093"], added)[0], "--command-config");
  });
  await t.step("a config file of the user's replaces the login, under any of its names", () => {
    for (const option of ["--command-config", "--consumer.config", "--producer.config"]) {
      const args = toolArgs([option, "mine.properties"], added);
      assert.ok(!args.includes(added.configFile), option);
    }
    assert.ok(!toolArgs(["--admin.config=mine"], added).includes(added.configFile));
  });
});

Deno.test("kafka:cli args - kafka:cli's own options come before the tool's name", () => {
  assert.deepEqual(parseCliArgs(["kafka-topics", "--list", "--as", "x"]), {
    principal: "admin",
    tool: "kafka-topics",
    args: ["--list", "--as", "x"],
    help: false,
  });
  assert.equal(parseCliArgs(["--as", "monitor", "kafka-topics"]).principal, "monitor");
  assert.equal(parseCliArgs(["--as=balances", "kafka-acls"]).principal, "balances");
  assert.equal(parseCliArgs([]).help, true);
  assert.equal(parseCliArgs(["--help"]).help, true);
  assert.throws(() => parseCliArgs(["--as"]), /--as needs a principal/);
  assert.throws(() => parseCliArgs(["--list"]), /unknown option --list/);
});

Deno.test("kafka:cli tools - the seeds' script names, with or without .sh", () => {
  for (const name of ["kafka-topics", "kafka-console-consumer", "kafka-console-producer"]) {
    assert.equal(findTool(`${name}.sh`)?.name, name);
  }
  for (const name of ["kafka-consumer-groups", "kafka-configs", "kafka-acls"]) {
    assert.ok(findTool(name), name);
  }
  assert.equal(findTool("kafka-server-start"), undefined, "tools only, never a broker");
  assert.equal(new Set(KAFKA_TOOLS.map((t) => t.name)).size, KAFKA_TOOLS.length);
});

Deno.test("kafka:cli login - the properties of each kind of connection", () => {
  const sasl = cliProperties({
    brokers: ["b:9092"],
    local: true,
    clientId: "x",
    sasl: { mechanism: "scram-sha-256", username: "admin", password: "s3cr3t" },
  });
  assert.match(sasl, /^security\.protocol=SASL_PLAINTEXT$/m);
  assert.match(sasl, /^sasl\.mechanism=SCRAM-SHA-256$/m);
  assert.match(sasl, /username="admin" password="s3cr3t";$/m);
  const none = cliProperties({ brokers: ["b:9092"], local: false, clientId: "x" });
  assert.equal(none, "security.protocol=PLAINTEXT\n");
  const tls = cliProperties(
    {
      brokers: ["b:9093"],
      local: false,
      clientId: "x",
      sasl: { mechanism: "plain", username: "u", password: "p" },
      ssl: { caFile: "/etc/ca.pem", rejectUnauthorized: false },
    },
    { keystore: "/tmp/login/client-keystore.pem" },
  );
  assert.match(tls, /^security\.protocol=SASL_SSL$/m);
  assert.match(tls, /^ssl\.truststore\.type=PEM$/m);
  assert.match(tls, /^ssl\.truststore\.location=\/etc\/ca\.pem$/m);
  assert.match(tls, /^ssl\.keystore\.type=PEM$/m);
  assert.match(tls, /^ssl\.keystore\.location=\/tmp\/login\/client-keystore\.pem$/m);
  assert.match(tls, /^ssl\.endpoint\.identification\.algorithm=$/m);
  const systemCa = cliProperties({
    brokers: ["b:9093"],
    local: false,
    clientId: "x",
    ssl: { rejectUnauthorized: true },
  });
  assert.equal(systemCa, "security.protocol=SSL\n", "no CA file: the JDK's trusted CAs");
});

Deno.test("kafka:cli login - a private file in a private folder, gone after remove()", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const file = await writePropertiesFile("a=b\n", parent);
    assert.equal((await Deno.stat(file.path)).mode! & 0o777, 0o600);
    const dir = file.path.slice(0, file.path.lastIndexOf("/"));
    assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
    assert.equal(await Deno.readTextFile(file.path), "a=b\n");
    await file.remove();
    assert.deepEqual([...Deno.readDirSync(parent)], []);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("deno.json - the kafka:cli task reads every principal's credentials, runs java and its TLS check", async () => {
  const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
  // The task's full command, its permission set spelled out (deno task print kafka:cli).
  const line = expandPermissionSet(config.tasks["kafka:cli"], config.permissions);
  const args: string[] = line.trim().split(/\s+/).slice(1);
  const env = new Set(args.find((a) => a.startsWith("--allow-env="))!.slice(12).split(","));
  const needed = [...new Set([...PRINCIPALS.flatMap((p) => kafkaEnvNames(p)), "JAVA_HOME"])];
  assert.deepEqual(needed.filter((name) => !env.has(name)), []);
  assert.ok(args.includes("--allow-run=java,mvn,deno"));
  assert.ok(!args.includes("-A") && !args.some((a) => a === "--allow-all"));
  assert.equal(args.at(-1), "kafka/cli.ts");
});

Deno.test("kafka:cli args - seed 001's --from-latest (not a Kafka option) is dropped", () => {
  const seed = ["--topic", "orders.created", "--from-latest"];
  assert.deepEqual(seedCompatibleArgs("kafka-console-consumer", seed).args, [
    "--topic",
    "orders.created",
  ]);
  assert.equal(seedCompatibleArgs("kafka-console-consumer", seed).notes.length, 1);
  assert.deepEqual(seedCompatibleArgs("kafka-topics", ["--from-latest"]).args, ["--from-latest"]);
});
