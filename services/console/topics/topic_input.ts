/**
 * Operator input about topics, validated before the broker sees it: a new
 * topic (name, partitions, replication factor, configs), a partition
 * count, and config changes written one `key=value` per line (`key=`
 * removes a topic override). Every problem is reported at once.
 */
import { topicNameProblem } from "../../../shared/provision/topics_file.ts";

/** A topic to create. */
export interface NewTopic {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

/** Config changes: values to set, overrides to remove. */
export interface ConfigChanges {
  set: Record<string, string>;
  remove: string[];
}

/** A parse result: the value, or the problems. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** Most partitions the console creates or grows a topic to. */
export const MAX_PARTITIONS = 10_000;
const CONFIG_NAME = /^[a-z][a-z0-9]*([.-][a-z0-9]+)*$/;

function count(text: unknown, what: string, min: number, max: number, problems: string[]) {
  const value = typeof text === "number" ? text : Number(String(text ?? "").trim());
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${what} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Parses `key=value` lines (blank lines and `#` comments skipped). */
export function parseConfigLines(text: string, problems: string[]): ConfigChanges {
  const changes: ConfigChanges = { set: {}, remove: [] };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    const name = (eq < 0 ? line : line.slice(0, eq)).trim();
    const value = eq < 0 ? undefined : line.slice(eq + 1).trim();
    if (!CONFIG_NAME.test(name)) {
      problems.push(`invalid config name ${JSON.stringify(name.slice(0, 100))}`);
    } else if (value === undefined) {
      problems.push(`expected ${name}=value (or ${name}= to remove the override)`);
    } else if (name in changes.set || changes.remove.includes(name)) {
      problems.push(`config ${name} is given twice`);
    } else if (value === "") changes.remove.push(name);
    else changes.set[name] = value;
  }
  return changes;
}

/** Config changes from an API body: `{ set: {k: v}, remove: [k] }`. */
export function parseConfigObject(body: unknown, problems: string[]): ConfigChanges {
  const input = (body ?? {}) as { set?: unknown; remove?: unknown };
  const lines: string[] = [];
  if (input.set !== undefined) {
    if (typeof input.set !== "object" || input.set === null || Array.isArray(input.set)) {
      problems.push("set must be an object of config names to string values");
    } else {
      for (const [k, v] of Object.entries(input.set)) {
        if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") {
          problems.push(`set.${k} must be a string`);
        } else if (String(v).trim() === "") problems.push(`set.${k} is empty (use remove)`);
        else lines.push(`${k}=${v}`);
      }
    }
  }
  if (input.remove !== undefined) {
    if (!Array.isArray(input.remove) || input.remove.some((r) => typeof r !== "string")) {
      problems.push("remove must be an array of config names");
    } else lines.push(...input.remove.map((name) => `${name}=`));
  }
  return parseConfigLines(lines.join("\n"), problems);
}

/** A new topic from form fields or a JSON body (`configs` as lines or an object). */
export function parseNewTopic(
  input: { name?: unknown; partitions?: unknown; replicationFactor?: unknown; configs?: unknown },
  brokerCount: number,
): Parsed<NewTopic> {
  const problems: string[] = [];
  const name = String(input.name ?? "").trim();
  const nameProblem = topicNameProblem(name);
  if (nameProblem) problems.push(nameProblem);
  const partitions = count(input.partitions ?? 1, "partitions", 1, MAX_PARTITIONS, problems);
  const replicationFactor = count(
    input.replicationFactor ?? Math.min(3, brokerCount),
    "replication factor",
    1,
    brokerCount,
    problems,
  );
  const changes = typeof input.configs === "string" || input.configs === undefined
    ? parseConfigLines(String(input.configs ?? ""), problems)
    : parseConfigObject({ set: input.configs }, problems);
  if (changes.remove.length > 0) problems.push("a new topic has no override to remove");
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, value: { name, partitions, replicationFactor, configs: changes.set } };
}

/** A new partition count, more than `current`. */
export function parsePartitionCount(text: unknown, current: number): Parsed<number> {
  const problems: string[] = [];
  const value = count(text, "partitions", 1, MAX_PARTITIONS, problems);
  if (problems.length === 0 && value <= current) {
    problems.push(`the topic has ${current} partitions; Kafka can only add partitions`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
