/**
 * deno.json's tasks grant exactly what the code needs: the server's
 * `--allow-env` covers every variable it and its consumer Workers read (a
 * Worker can only get what the server has), and each `consumer:<name>` task
 * has the same flags as that consumer's Worker.
 */
import assert from "node:assert/strict";
import { CONSUMER_REGISTRY_ENV, consumerEntries } from "../consumers/mod.ts";
import { SERVER_ENV_NAMES } from "../server.ts";
import { consumerEnvNames } from "../shared/consumer/main.ts";
import { consumerRunFlags } from "../shared/consumer/workers.ts";
import { kafkaEnvNames, LOCAL_BROKER } from "../shared/kafka/config.ts";
import { REST_PROXY_ENV_NAMES } from "../services/rest_proxy/mod.ts";
import { taskArgs } from "./task_args.ts";

function flag(args: string[], name: string): string[] {
  const value = args.find((a) => a.startsWith(`${name}=`));
  assert.ok(value, `${name} is set`);
  return value.slice(name.length + 1).split(",");
}

Deno.test("deno.json - the start task allows every variable the server and its consumers read", async () => {
  const allowed = new Set(flag(await taskArgs("start"), "--allow-env"));
  const needed = new Set<string>([
    ...SERVER_ENV_NAMES,
    "LOG_LEVEL",
    ...kafkaEnvNames("web"),
    ...CONSUMER_REGISTRY_ENV,
    ...REST_PROXY_ENV_NAMES,
  ]);
  for (const entry of consumerEntries({})) {
    for (const name of consumerEnvNames(entry.module, entry.principal)) needed.add(name);
  }
  assert.deepEqual([...needed].filter((n) => !allowed.has(n)), []);
});

Deno.test("deno.json - each consumer task runs with its Worker's permissions", async () => {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  for (const entry of consumerEntries({})) {
    const args = await taskArgs(`consumer:${entry.task}`);
    const expected = consumerRunFlags(entry, { dataDir: "data", brokers: [LOCAL_BROKER] });
    assert.deepEqual(args.slice(1, -1).toSorted(), expected.toSorted(), entry.name);
    assert.equal(args.at(-1), entry.url.pathname.slice(root.length + 1));
  }
});
