/**
 * docker-compose.yml describes the same secured topology as the local
 * broker: parsed as YAML and checked against the settings of
 * kafka/broker_config.ts (`docker compose config` was also run on it; see
 * docs/decisions.md).
 */
import assert from "node:assert/strict";
import { parse } from "yaml";
import { PRINCIPALS } from "../freshet.ts";
import { serverProperties } from "../kafka/broker_config.ts";

type Service = {
  image: string;
  environment?: Record<string, unknown>;
  depends_on?: Record<string, { condition: string }>;
  command?: unknown;
};

const compose = parse(
  await Deno.readTextFile(new URL("../docker-compose.yml", import.meta.url)),
) as {
  services: Record<string, Service>;
};

Deno.test("docker-compose - the broker is secured like the local one", () => {
  const kafka = compose.services.kafka;
  assert.match(kafka.image, /^apache\/kafka:4\./);
  const env = kafka.environment!;
  const local = serverProperties(
    { id: 1, host: "127.0.0.1", clientPort: 9092, controllerPort: 29092, dir: "/tmp/x" },
    [{ id: 1, host: "127.0.0.1", clientPort: 9092, controllerPort: 29092, dir: "/tmp/x" }],
    Object.fromEntries(PRINCIPALS.map((p) => [p, `${p}-secret`])),
  );
  for (
    const key of [
      "authorizer.class.name",
      "allow.everyone.if.no.acl.found",
      "super.users",
      "sasl.enabled.mechanisms",
    ]
  ) {
    const expected = local.match(new RegExp(`^${key.replaceAll(".", "\\.")}=(.*)$`, "m"))![1];
    const envName = `KAFKA_${key.toUpperCase().replaceAll(".", "_")}`;
    assert.equal(String(env[envName]), expected, envName);
  }
  const plainUsers = String(env.KAFKA_LISTENER_NAME_CLIENT_PLAIN_SASL_JAAS_CONFIG);
  for (const principal of PRINCIPALS) {
    assert.match(plainUsers, new RegExp(`user_${principal}=`), principal);
  }
});

Deno.test("docker-compose - SCRAM users for every principal, then the app provisions and starts", () => {
  const users = compose.services["kafka-users"];
  assert.equal(users.depends_on?.kafka.condition, "service_healthy");
  const script = String((users.command as string[]).join("\n"));
  assert.match(script, new RegExp(`for user in ${PRINCIPALS.join(" ")}; do`));
  const app = compose.services.freshet;
  assert.equal(app.depends_on?.["kafka-users"].condition, "service_completed_successfully");
  assert.equal(app.environment?.KAFKA_BROKERS, "kafka:9092");
  assert.match(String((app.command as string[]).join(" ")), /deno task topics && deno task start/);
});
