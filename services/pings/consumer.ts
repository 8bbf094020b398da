/** The pings consumer: keeps every ping of `pings` in its own SQLite, once. */
import { type ConsumerModule, topic } from "../../shared/consumer/define.ts";
import { runConsumerMain } from "../../shared/consumer/main.ts";
import { topicName } from "../../shared/kafka/names.ts";
import { groupName } from "../../shared/kafka/names.ts";
import { PINGS, PINGS_MIGRATIONS, PINGS_SERVICE, pingSchema, savePing } from "./pings_db.ts";

/** The pings consumer module. */
export const pingsConsumer: ConsumerModule = {
  env: [],
  create(env) {
    return {
      name: PINGS_SERVICE,
      principal: "pings",
      groupId: groupName(env, PINGS_SERVICE),
      migrations: PINGS_MIGRATIONS,
      topics: {
        [topicName(env, PINGS)]: topic({
          schema: pingSchema,
          handle: (ctx) => void savePing(ctx.db, ctx.value, ctx.offset),
        }),
      },
    };
  },
};

if (import.meta.main) await runConsumerMain(pingsConsumer);
