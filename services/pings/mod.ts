/** The pings service: a topic of pings, a consumer keeping them, a page showing them. */
import { defineService } from "../../shared/service/define_service.ts";
import { namedGroup } from "../../shared/web/group_owner.ts";
import { pingsConsumer } from "./consumer.ts";
import { PINGS, PINGS_SERVICE, pingSchema } from "./pings_db.ts";

/** The pings service. */
export const pingsService = defineService({
  name: "pings",
  description: "Pings: read from a topic, kept once, shown on a page.",
  principals: ["pings"],
  consumers: () => [{
    name: PINGS_SERVICE,
    task: "pings",
    principal: "pings",
    url: new URL("./consumer.ts", import.meta.url),
    module: pingsConsumer,
  }],
  topics: [{
    topic: PINGS,
    key: "ping id",
    value: pingSchema,
    deadLetters: true,
    example: (n) => ({ key: `contract-${n}`, value: { id: `contract-${n}`, message: "ping" } }),
  }],
  groups: [namedGroup({ group: PINGS_SERVICE, consumer: "pings", replay: "Delete its folder." })],
  web: { nav: [{ href: "/pings", label: "Pings", description: "The pings read so far." }] },
});
