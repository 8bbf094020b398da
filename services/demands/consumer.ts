/**
 * The doctor consumer (OnDutyDoctor of seed 000): materialises
 * `demands.created` into this doctor's own SQLite, exactly once, and follows
 * `demands.assumed` so a demand taken by another doctor shows as taken.
 *
 * Each doctor (`DOCTOR_NAME`, default `house`) has its own consumer group
 * (`doctor-<name>`) and database (`data/doctor-<name>/`), so every doctor
 * sees every demand.
 */
import { z } from "zod";
import { type ConsumerModule, topic } from "../../shared/consumer/define.ts";
import { runConsumerMain } from "../../shared/consumer/main.ts";
import { demandAssumedSchema, DEMANDS_ASSUMED, DEMANDS_CREATED, demandSchema } from "./demand.ts";
import { DOCTOR_MIGRATIONS, getDemand, insertDemand, recordAssignment } from "./doctor_db.ts";
import { parseEnv } from "../../shared/core/config.ts";
import { DEMANDS_BUS_TOPIC } from "./demand_view.ts";
import { doctorNameSchema } from "./doctor_config.ts";
import { groupName, topicName } from "../../shared/kafka/names.ts";

const envSchema = z.object({ DOCTOR_NAME: doctorNameSchema.default("house") })
  .catchall(z.string().optional());

/** The consumer name of a doctor, which also names its group and data folder. */
export function doctorConsumerName(doctorName: string): string {
  return `doctor-${doctorName}`;
}

/** The doctor consumer module. */
export const doctorConsumer: ConsumerModule = {
  env: ["DOCTOR_NAME"],
  create(env) {
    const { DOCTOR_NAME } = parseEnv(envSchema, env);
    const name = doctorConsumerName(DOCTOR_NAME);
    return {
      name,
      principal: "doctor",
      // Under a topic prefix the group is suffixed too: two deployments never share it.
      groupId: groupName(env, name),
      migrations: DOCTOR_MIGRATIONS,
      // A rebuild (gap policy `rebuild`) reads the demands again from the topics' start;
      // what this doctor ignored is not in Kafka and is forgotten with them.
      reset(db) {
        db.exec("DELETE FROM assignments; DELETE FROM demands");
      },
      topics: {
        [topicName(env, DEMANDS_CREATED)]: topic({
          schema: demandSchema,
          handle(ctx) {
            const inserted = insertDemand(ctx.db, DOCTOR_NAME, ctx.value, ctx);
            if (inserted) {
              const id = ctx.value.id;
              ctx.notify(DEMANDS_BUS_TOPIC, "created", () => ({
                doctor: DOCTOR_NAME,
                demand: getDemand(ctx.db, id),
              }));
            }
          },
        }),
        [topicName(env, DEMANDS_ASSUMED)]: topic({
          schema: demandAssumedSchema,
          handle(ctx) {
            recordAssignment(ctx.db, DOCTOR_NAME, ctx.value, ctx);
            const demand = getDemand(ctx.db, ctx.value.id);
            if (demand) ctx.notify(DEMANDS_BUS_TOPIC, "updated", { doctor: DOCTOR_NAME, demand });
          },
        }),
      },
    };
  },
};

if (import.meta.main) await runConsumerMain(doctorConsumer);
