/**
 * The partitions of a group whose status is not OK, from the monitor's
 * latest sample, each with where its record is: the console's permalink of
 * the record at the committed offset, and the page to act on it
 * (`/console/groups/:group/stuck/:topic/:partition`). For the group pages
 * (the monitor's `/groups/:group` and the console's).
 */
import type { WebServices } from "../../../shared/web/services.ts";
import { monitorReader, partitionLags } from "../../monitor/mod.ts";
import { permalinkPath } from "../messages/web/links.ts";

/** A partition not OK, and its links. */
export interface StuckPartition {
  topic: string;
  partition: number;
  status: string;
  committed: number;
  end: number;
  lag: number;
  lagMs: number | null;
  /** The record at the committed offset (none when the group is at the end). */
  record: string | null;
  /** The page with the record, its dead letters and the actions. */
  act: string;
}

/** The stuck-record page of a group's partition. */
export function stuckPath(group: string, topic: string, partition: number): string {
  const enc = encodeURIComponent;
  return `/console/groups/${enc(group)}/stuck/${enc(topic)}/${partition}`;
}

/** The partitions of `group` the monitor last saw not OK. */
export function stuckPartitions(
  services: Pick<WebServices, "databases">,
  group: string,
): StuckPartition[] {
  const { db } = monitorReader(services);
  return partitionLags(db).filter((p) => p.group === group && p.status !== "OK").map((p) => ({
    topic: p.topic,
    partition: p.partition,
    status: p.status,
    committed: p.committed,
    end: p.end,
    lag: p.lag,
    lagMs: p.lagMs,
    record: p.committed < p.end ? permalinkPath(p.topic, p.partition, p.committed) : null,
    act: stuckPath(group, p.topic, p.partition),
  }));
}
