/**
 * The balances page (seed 003): the latest balances materialised from the
 * compacted topic `contas`, live; a lookup by account id that works with or
 * without JavaScript (`?id=`); and the consumer's counters.
 */
import BalanceBoard from "../islands/BalanceBoard.tsx";
import BalanceLookup from "../islands/BalanceLookup.tsx";
import { CONTAS, parseAccountId } from "../services/balances/balance.ts";
import {
  type BalanceLookup as Lookup,
  type BalanceRow,
  toApiBalance,
} from "../services/balances/balance_row.ts";
import {
  countBalances,
  getBalance,
  listBalances,
  readStats,
  type StatName,
} from "../services/balances/balances_db.ts";
import { balancesDb } from "../services/balances/web/web_db.ts";
import type { Handlers, PageProps, RouteAccess } from "../shared/web/mod.ts";
import { Time } from "../shared/web/time.tsx";

/** The page title. */
export const title = "Balances · Freshet";

const LIMIT = 100;

/** What the page shows. */
export interface BalancesPage {
  topic: string;
  accounts: number;
  rows: BalanceRow[];
  stats: Record<StatName, number>;
  lookup?: Lookup;
}

const STAT_LABELS: [StatName, string][] = [
  ["upserts", "Balances applied"],
  ["tombstones", "Tombstones applied"],
  ["null_keys", "Records without a key (skipped)"],
  ["id_mismatches", "Records whose cliente_id differs from the key (key wins)"],
  ["rebuilds", "Rebuilds"],
];

/** Who may use it (shared/web/auth/access.ts). */
export const access: RouteAccess = "open";

/** GET: the balances, the counters and the answer to `?id=`. */
export const handler: Handlers<BalancesPage> = {
  GET(_req, ctx) {
    const db = balancesDb(ctx.services);
    const wanted = ctx.url.searchParams.get("id");
    let lookup: Lookup | undefined;
    if (wanted !== null && wanted.trim() !== "") {
      const parsed = parseAccountId(wanted);
      const row = parsed.ok ? getBalance(db, parsed.id) : undefined;
      lookup = !parsed.ok
        ? { id: wanted, status: "invalid", error: parsed.error }
        : row
        ? { id: parsed.id, status: "found", balance: toApiBalance(row) }
        : { id: parsed.id, status: "missing" };
    }
    return ctx.render({
      topic: `${ctx.services.topicPrefix}${CONTAS}`,
      accounts: countBalances(db),
      rows: listBalances(db, LIMIT),
      stats: readStats(db),
      lookup,
    }, { status: lookup?.status === "invalid" ? 400 : 200 });
  },
};

/** The balances page. */
export default function Balances({ data }: PageProps<BalancesPage>) {
  const { stats } = data;
  return (
    <main class="page">
      <header>
        <h1>Balances</h1>
        <p class="lead">
          Account balances materialised from the compacted topic{" "}
          <code>{data.topic}</code>: the latest value of each key is the account's balance, and a
          tombstone deletes the account.
        </p>
        <p class="muted" data-hint="create">
          To create or change a balance, write its account id as the key and{" "}
          <code>{'{"cliente_id": 1, "saldo": 150.0, "timestamp": "…"}'}</code> as the value to{" "}
          <code>{data.topic}</code>: <code>deno task produce:balances</code>{" "}
          (asks for an id and a balance; an empty balance deletes the account), or an operator's
          {" "}
          <a href={`/console/topics/${encodeURIComponent(data.topic)}?tab=produce`}>produce form</a>
          {" "}
          in the console.
        </p>
      </header>
      <section aria-labelledby="lookup-title">
        <h2 id="lookup-title">Look up an account</h2>
        <BalanceLookup initial={data.lookup} />
      </section>
      <section aria-labelledby="balances-title">
        <h2 id="balances-title">Latest balances</h2>
        <BalanceBoard rows={data.rows} limit={LIMIT} />
      </section>
      <section aria-labelledby="stats-title">
        <h2 id="stats-title">Consumer counters</h2>
        <table class="stats">
          <tbody>
            <tr>
              <th scope="row">Accounts</th>
              <td class="num" data-stat="accounts">{data.accounts}</td>
            </tr>
            {STAT_LABELS.map(([name, label]) => (
              <tr key={name}>
                <th scope="row">{label}</th>
                <td class="num" data-stat={name}>{stats[name]}</td>
              </tr>
            ))}
            {stats.last_rebuild_at > 0 && (
              <tr>
                <th scope="row">Last rebuild</th>
                <td class="num">
                  <Time at={stats.last_rebuild_at} relative />
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
      <footer>
        <a href="/">Home</a> · <a href="/api/balances">JSON</a> · <a href="/health">Health</a>
      </footer>
    </main>
  );
}
