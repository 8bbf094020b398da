/**
 * The consumers table of the home page, updated live from the `consumer`
 * status reports on the bus. Every value is rendered as text.
 */
import { useState } from "preact/hooks";
import { type ConsumerRow, parseConsumerRow, upsertRow } from "../shared/web/consumer_row.ts";
import { useLiveStatus } from "../shared/web/live.ts";
import { LiveIndicator } from "../shared/web/live_indicator.tsx";

/** Props of ConsumerBoard. */
export interface ConsumerBoardProps {
  /** The consumers known when the page was rendered. */
  consumers: ConsumerRow[];
}

/** The table of consumers with a live/disconnected indicator. */
export default function ConsumerBoard({ consumers }: ConsumerBoardProps) {
  const [rows, setRows] = useState(consumers);
  const live = useLiveStatus(["consumer"], (message) => {
    const row = message.type === "status" ? parseConsumerRow(message.data) : undefined;
    if (row) setRows((current) => upsertRow(current, row));
  });
  return (
    <div class="board">
      <LiveIndicator status={live} />
      {rows.length === 0 ? <p class="empty">No consumer has reported yet.</p> : (
        <table>
          <thead>
            <tr>
              <th scope="col">Consumer</th>
              <th scope="col">Mode</th>
              <th scope="col">State</th>
              <th scope="col" class="num">Lag</th>
              <th scope="col">Topics</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.name} data-consumer={row.name}>
                <th scope="row">{row.name}</th>
                <td>{row.mode}</td>
                <td>
                  <span class={`state state-${row.state}`} title={row.lastError}>
                    {row.state}
                  </span>
                </td>
                <td class="num">{row.lag}</td>
                <td>{row.topics.join(", ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
