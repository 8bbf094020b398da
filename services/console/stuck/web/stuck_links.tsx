/**
 * "Stuck partitions" on a group's page: each partition whose status is not
 * OK, with a link to the record at its committed offset (the console's
 * permalink) and to the page that shows its dead letters and the actions
 * (redrive, copy to the DLQ and skip, live tail). Nothing when all are OK.
 */
import type { StuckPartition } from "../stuck_partitions.ts";

/** Props of StuckLinks. */
export interface StuckLinksProps {
  stuck: StuckPartition[];
}

/** The section. */
export function StuckLinks({ stuck }: StuckLinksProps) {
  if (stuck.length === 0) return null;
  return (
    <section aria-labelledby="stuck-title" data-field="stuck">
      <h2 id="stuck-title">Partitions not OK: the record they are on</h2>
      <ul>
        {stuck.map((p) => (
          <li key={`${p.topic}:${p.partition}`} data-stuck={`${p.topic}:${p.partition}`}>
            <span class={`status status-${p.status}`}>{p.status}</span> <code>{p.topic}</code>{" "}
            partition {p.partition} at offset {p.committed} ({p.lag} behind):{" "}
            {p.record ? <a href={p.record}>the record at offset {p.committed}</a> : "at the end"}
            {" · "}
            <a href={p.act}>dead letters and actions</a>
          </li>
        ))}
      </ul>
    </section>
  );
}
