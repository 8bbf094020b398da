import assert from "node:assert/strict";
import { namedGroup } from "../../../shared/web/group_owner.ts";
import { freshetConsumerOf } from "./freshet_groups.ts";

const services = {
  topicPrefix: "",
  consumerGroups: [
    namedGroup({
      group: "balances-service",
      consumer: "balances",
      replay: "Rebuild.",
      command: "x",
    }),
    {
      consumerOf: (groupId: string) => groupId.startsWith("doctor-") ? groupId : undefined,
      replay: (groupId: string) => `delete data/${groupId}/`,
    },
  ],
};

Deno.test("freshetConsumerOf - the services' groups, then the groups of consumers the server runs", () => {
  assert.deepEqual(freshetConsumerOf("balances-service", { services }), {
    consumer: "balances",
    replay: "Rebuild.",
    command: "x",
  });
  assert.deepEqual(freshetConsumerOf("doctor-house", { services }), {
    consumer: "doctor-house",
    replay: "delete data/doctor-house/",
    command: undefined,
  });
  assert.equal(freshetConsumerOf("someone-else", { services }), undefined);
  assert.equal(
    freshetConsumerOf("sink-1", { services, running: ["sink-1"] })?.consumer,
    "sink-1",
    "a consumer the server runs, declared by no service",
  );
});
