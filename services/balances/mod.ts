/**
 * The balances service (seed 003): a consumer materialising the compacted
 * topic `contas` into SQLite, a CLI producing to it, the balances pages and
 * `/api/saldo/:id`. See docs/balances.md.
 */
import { defineService } from "../../shared/service/define_service.ts";
import { producerProgram } from "../../shared/service/program.ts";
import { BALANCES_SERVICE } from "./balance.ts";
import { PRODUCER_ENV } from "./cli/produce.ts";
import { balancesConsumer } from "./consumer.ts";
import { namedGroup } from "../../shared/web/group_owner.ts";
import { balanceValueSchema } from "./balance.ts";

/** The balances service. */
export const balancesService = defineService({
  name: "balances",
  description: "Account balances from the compacted topic contas (seed 003).",
  principals: ["balances"],
  consumers: () => [{
    name: BALANCES_SERVICE,
    task: "balances",
    principal: "balances",
    url: new URL("./consumer.ts", import.meta.url),
    module: balancesConsumer,
  }],
  programs: [producerProgram({
    name: "produce:balances",
    entry: new URL("./cli/produce.ts", import.meta.url),
    principal: "balances",
    env: PRODUCER_ENV,
  })],
  topics: [
    {
      topic: "contas",
      key: "account id (the key wins over `cliente_id`); never null on a compacted topic",
      value: balanceValueSchema,
      notes:
        "Seed 003. Compacted: the latest value per key is the balance; a null value (tombstone) deletes it.",
      deadLetters: true,
      example: (n) => ({
        key: `contract-${n}`,
        value: { cliente_id: `contract-${n}`, saldo: 100.5, timestamp: "2026-01-01T00:00:00" },
      }),
    },
  ],
  groups: [namedGroup({
    group: BALANCES_SERVICE,
    consumer: "balances",
    replay: "Rebuild the balances table from contas (from the earliest offset, into a fresh " +
      "table swapped in at the end; safe while the consumer runs).",
    command: "deno task consumer:balances --rebuild",
  })],
  web: {
    aliases: [
      // Seed 003's own path (its curl examples and tests), and the English name.
      { path: "/saldo/:id", canonical: "/api/saldo/:id" },
      { path: "/api/balances/:id", canonical: "/api/saldo/:id" },
    ],
    nav: [{
      href: "/balances",
      label: "Balances",
      description: "Account balances from the compacted topic contas (seed 003).",
    }],
  },
});
