/**
 * The balances consumer (seed 003): materialises the compacted topic
 * `contas` into its own SQLite (`data/balances-service/`), exactly once.
 * The latest value of a key is the account's balance; a tombstone deletes
 * it; a keyless record is skipped and counted. A restart resumes from the
 * offsets stored with the rows: no replay.
 *
 *   deno task consumer:balances             # consume (also runs as a Worker of the server)
 *   deno task consumer:balances --rebuild   # replay contas into a fresh table, swap it in
 */
import { type ConsumerModule, topic } from "../../shared/consumer/define.ts";
import { runConsumerMain } from "../../shared/consumer/main.ts";
import {
  accountKey,
  BALANCES_BUS_TOPIC,
  BALANCES_SERVICE,
  CONTAS,
  contasRecordSchema,
} from "./balance.ts";
import { addStat, applyBalanceRecord, BALANCES_MIGRATIONS } from "./balances_db.ts";
import { balancesGroupId } from "./group.ts";
import { runBalancesRebuild } from "./cli/rebuild_main.ts";
import { topicName } from "../../shared/kafka/names.ts";

/** The balances consumer module. */
export const balancesConsumer: ConsumerModule = {
  env: [],
  create(env) {
    return {
      name: BALANCES_SERVICE,
      principal: "balances",
      groupId: balancesGroupId(env),
      migrations: BALANCES_MIGRATIONS,
      // A rebuild (gap policy `rebuild`) reads contas again from its start.
      reset(db) {
        db.exec("DELETE FROM balances");
        addStat(db, "rebuilds");
      },
      topics: {
        [topicName(env, CONTAS)]: topic({
          schema: contasRecordSchema,
          handle(ctx) {
            const key = accountKey(ctx.key);
            if (key === null) return addStat(ctx.db, "null_keys");
            const outcome = applyBalanceRecord(ctx.db, {
              key,
              value: ctx.value,
              partition: ctx.partition,
              offset: ctx.offset,
              timestamp: ctx.timestamp,
            });
            if (outcome.kind === "deleted") {
              addStat(ctx.db, "tombstones");
              ctx.notify(BALANCES_BUS_TOPIC, "deleted", { cliente_id: key });
              return;
            }
            addStat(ctx.db, "upserts");
            if (outcome.idMismatch) addStat(ctx.db, "id_mismatches");
            ctx.notify(BALANCES_BUS_TOPIC, "upserted", outcome.row);
          },
        }),
      },
    };
  },
};

if (import.meta.main) {
  if (Deno.args.includes("--rebuild")) await runBalancesRebuild(balancesConsumer);
  else await runConsumerMain(balancesConsumer);
}
