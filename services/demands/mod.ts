/**
 * The demands service (seed 000's OnDutyNow and OnDutyDoctor): demands are
 * sent to `demands.created` (from the web, the REST proxy or the CLI), and
 * each doctor (`DOCTOR_NAME`) materialises them into its own SQLite and
 * assumes or ignores them. See docs/demands.md.
 */
import { parseEnv } from "../../shared/core/config.ts";
import { defineService, type Env } from "../../shared/service/define_service.ts";
import { producerProgram } from "../../shared/service/program.ts";
import { z } from "zod";
import { PRODUCER_ENV } from "./cli/produce.ts";
import { doctorConsumer, doctorConsumerName } from "./consumer.ts";
import { doctorNameSchema } from "./doctor_config.ts";
import { demandAssumedSchema, demandSchema } from "./demand.ts";

const instanceSchema = z.object({ DOCTOR_NAME: doctorNameSchema.default("house") })
  .catchall(z.string().optional());

/** This doctor's consumer name (`doctor-<DOCTOR_NAME>`); a name that is no folder name is refused. */
function doctorName(env: Env): string {
  return doctorConsumerName(
    parseEnv(instanceSchema, { DOCTOR_NAME: env.DOCTOR_NAME || undefined }).DOCTOR_NAME,
  );
}

/** The demands service. */
export const demandsService = defineService({
  name: "demands",
  description: "On-duty demands: sent from the web, the REST proxy or a CLI; each doctor's view.",
  principals: ["doctor"],
  instanceEnv: ["DOCTOR_NAME"],
  consumers: (env) => [{
    name: doctorName(env),
    task: "doctor",
    principal: "doctor",
    url: new URL("./consumer.ts", import.meta.url),
    module: doctorConsumer,
  }],
  programs: [producerProgram({
    name: "produce:demands",
    entry: new URL("./cli/produce.ts", import.meta.url),
    principal: "web",
    env: PRODUCER_ENV,
  })],
  topics: [
    {
      topic: "demands.created",
      key: "demand id",
      value: demandSchema,
      notes:
        "Seed 000. Produced by POST /api/demands, the REST-Proxy-compatible API and `produce:demands`.",
      deadLetters: true,
      example: (n) => ({
        key: `contract-${n}`,
        value: {
          id: `contract-${n}`,
          type: "emergency",
          location: { lat: -22.9, lng: -43.2 },
          metadata: { priority: "high" },
        },
      }),
    },
    {
      topic: "demands.assumed",
      key: "demand id",
      value: demandAssumedSchema,
      notes:
        "The first event of a demand in the partition log wins: every doctor shows the demand as taken by it.",
      deadLetters: true,
      example: (n) => ({
        key: `contract-${n}`,
        value: { id: `contract-${n}`, doctor: "contract", assumedAt: "2026-01-01T00:00:00Z" },
      }),
    },
  ],
  groups: [{
    consumerOf: (groupId) => /^doctor-[A-Za-z0-9_-]+$/.test(groupId) ? groupId : undefined,
    replay: (groupId) =>
      `Stop the server (or this consumer), delete data/${groupId}/ and start it again: ` +
      "a new database reads its topics from the earliest offset (decisions, “Exactly once " +
      "into SQLite”). Assumed/ignored decisions made here are lost with it.",
  }],
  web: {
    nav: [{
      href: "/demands",
      label: "Demands",
      description: "On-duty demands (seed 000): assume or ignore them, send a new one.",
    }],
  },
});
