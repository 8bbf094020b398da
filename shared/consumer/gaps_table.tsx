/**
 * The gaps a group's consumers accepted or rebuilt past, as a table for the
 * group pages (`/groups/:group`, `/console/groups/:group`). Nothing when
 * there are none.
 */
import type { GapRecord } from "./gaps.ts";

const KIND_TEXT: Record<GapRecord["kind"], string> = {
  recreated: "topic recreated",
  deleted: "records deleted",
  "beyond-end": "log ended before the position",
};

/** What the table shows: per consumer, how many gaps and the newest. */
export interface GapsTableProps {
  gaps: { consumer: string; total: number; recent: GapRecord[] }[];
}

/** The table, or nothing. */
export function GapsTable({ gaps }: GapsTableProps) {
  if (gaps.length === 0) return null;
  return (
    <section aria-labelledby="gaps-title">
      <h2 id="gaps-title">Gaps</h2>
      <p>
        Offsets this group's consumers did not read, by their gap policy (docs/gaps.md):{" "}
        {gaps.map((g) => `${g.consumer}: ${g.total}`).join(", ")}.
      </p>
      <table class="gaps">
        <thead>
          <tr>
            <th scope="col">Consumer</th>
            <th scope="col">Topic</th>
            <th scope="col" class="num">Partition</th>
            <th scope="col">What</th>
            <th scope="col" class="num">From</th>
            <th scope="col" class="num">To</th>
            <th scope="col">Policy</th>
            <th scope="col">When</th>
          </tr>
        </thead>
        <tbody>
          {gaps.flatMap((g) =>
            g.recent.map((r) => (
              <tr data-gap={`${r.topic}:${r.partition}`}>
                <td>{g.consumer}</td>
                <th scope="row">{r.topic}</th>
                <td class="num">{r.partition}</td>
                <td>{KIND_TEXT[r.kind]}</td>
                <td class="num">{r.from}</td>
                <td class="num">{r.to}</td>
                <td>{r.policy}</td>
                <td>{new Date(r.at).toISOString()}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </section>
  );
}
