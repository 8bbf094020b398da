/**
 * `deno task consumer:balances --rebuild`: rebuilds the balances table of
 * `DATA_DIR/balances-service/` from `contas` (see rebuild.ts), showing
 * progress, with the same permissions as the consumer. Safe while the
 * consumer runs; Ctrl-C before the swap leaves the live table untouched.
 */
import { z } from "zod";
import { closeBus, publish } from "../../../shared/bus/bus.ts";
import { busSocketPath, connectBusBridge } from "../../../shared/bus/bridge.ts";
import { parseEnv, readEnv, runMain } from "../../../shared/core/config.ts";
import type { ConsumerModule } from "../../../shared/consumer/define.ts";
import { errorMessage } from "../../../shared/core/errors.ts";
import { consumerDataDir, consumerEnvNames } from "../../../shared/consumer/main.ts";
import { OFFSETS_MIGRATION } from "../../../shared/consumer/offsets.ts";
import { createKafka } from "../../../shared/kafka/client.ts";
import { loadKafkaConfig } from "../../../shared/kafka/config.ts";
import { OUTBOX_MIGRATION } from "../../../shared/outbox/outbox.ts";
import { openDatabase } from "../../../shared/sqlite/sqlite.ts";
import { topicName } from "../../../shared/kafka/names.ts";
import { BALANCES_BUS_TOPIC, CONTAS } from "../balance.ts";
import { rebuildBalances, type RebuildProgress } from "../rebuild.ts";

const envSchema = z.object({ DATA_DIR: z.string().min(1).default("data") })
  .catchall(z.string().optional());

/** Prints progress at most once a second. */
function progressPrinter(): (progress: RebuildProgress) => void {
  let last = 0;
  return ({ records, expected }) => {
    if (Date.now() - last < 1_000) return;
    last = Date.now();
    const percent = expected > 0
      ? ` (${Math.min(100, Math.floor(records * 100 / expected))}%)`
      : "";
    console.log(`rebuild: ${records} of ~${expected} records${percent}`);
  };
}

/** Runs the rebuild of `module`'s database and exits (0 on success). */
export async function runBalancesRebuild(module: ConsumerModule): Promise<void> {
  await runMain(async () => {
    const env = readEnv(consumerEnvNames(module, "balances"));
    const { DATA_DIR } = parseEnv(envSchema, env);
    const definition = module.create(env);
    const dir = consumerDataDir(DATA_DIR, definition.name);
    Deno.mkdirSync(dir, { recursive: true });
    const db = openDatabase(`${dir}/${definition.name}.db`, {
      migrations: [...definition.migrations, OFFSETS_MIGRATION, OUTBOX_MIGRATION],
    });
    const kafka = createKafka(loadKafkaConfig(definition.principal, env), {
      clientSuffix: "balances-rebuild",
    });
    const bridge = connectBusBridge(busSocketPath(DATA_DIR));
    const topic = topicName(env, CONTAS);
    console.log(`rebuild: replaying ${topic} from the earliest offset into ${dir}`);
    const started = Date.now();
    try {
      const result = await rebuildBalances({ db, kafka, topic, onProgress: progressPrinter() });
      publish(BALANCES_BUS_TOPIC, "rebuilt", { accounts: result.accounts });
      console.log(
        `rebuild: done in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
          `${result.accounts} accounts from ${result.records} records ` +
          `(${result.upserts} balances, ${result.tombstones} tombstones, ` +
          `${result.nullKeys} without key, ${result.invalid} invalid, ` +
          `${result.idMismatches} with cliente_id ≠ key); ` +
          `offsets ${JSON.stringify(result.offsets)}` +
          (result.lockedCatchUp ? "; caught up with the live consumer under the lock" : ""),
      );
      // Let the bridge deliver the `rebuilt` note to open pages.
      await new Promise((resolve) => setTimeout(resolve, 200));
    } catch (error) {
      console.error(`rebuild failed, the live table is unchanged: ${errorMessage(error)}`);
      Deno.exitCode = 1;
    } finally {
      bridge.close();
      closeBus();
      db.close();
    }
  });
}
