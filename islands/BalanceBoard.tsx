/**
 * The latest balances, updated live from the `balances` bus topic: an
 * upsert moves the account to the top, a tombstone removes it, a rebuild
 * reloads the list. Every value is rendered as text.
 */
import { useState } from "preact/hooks";
import {
  type BalanceRow,
  formatSaldo,
  parseBalanceRow,
  removeBalance,
  upsertBalance,
} from "../services/balances/balance_row.ts";
import { useLiveStatus } from "../shared/web/live.ts";
import { LiveIndicator } from "../shared/web/live_indicator.tsx";

/** Props of BalanceBoard. */
export interface BalanceBoardProps {
  /** The most recently changed balances when the page was rendered. */
  rows: BalanceRow[];
  /** How many rows the board keeps. */
  limit: number;
}

async function reload(limit: number): Promise<BalanceRow[] | undefined> {
  const response = await fetch(`/api/balances?limit=${limit}`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const body = await response.json() as { balances?: unknown[] };
  return (body.balances ?? []).map(parseBalanceRow).filter((r): r is BalanceRow => !!r);
}

/** The table of balances with a live/disconnected indicator. */
export default function BalanceBoard({ rows: initial, limit }: BalanceBoardProps) {
  const [rows, setRows] = useState(initial);
  const live = useLiveStatus(["balances"], (message) => {
    if (message.type === "upserted") {
      const row = parseBalanceRow(message.data);
      if (row) setRows((current) => upsertBalance(current, row, limit));
    } else if (message.type === "deleted") {
      const id = (message.data as { cliente_id?: unknown } | null)?.cliente_id;
      if (typeof id === "string") setRows((current) => removeBalance(current, id));
    } else if (message.type === "rebuilt") {
      reload(limit).then((fresh) => fresh && setRows(fresh));
    }
  }, { onResync: () => reload(limit).then((fresh) => fresh && setRows(fresh)) });
  return (
    <div class="board">
      <LiveIndicator status={live} />
      {rows.length === 0 ? <p class="empty">No balance yet.</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col" class="num">Saldo</th>
              <th scope="col">Timestamp</th>
              <th scope="col" class="num">Partition</th>
              <th scope="col" class="num">Offset</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.cliente_id} data-account={row.cliente_id}>
                <th scope="row">{row.cliente_id}</th>
                <td class="num">{formatSaldo(row.saldo)}</td>
                <td>{String(row.timestamp)}</td>
                <td class="num">{row.partition}</td>
                <td class="num">{row.offset}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
