/**
 * kafka-topics.txt: one topic per line, `name partitions replication
 * [key=value ...]`. `replication` is a count or `auto`, meaning
 * min(3, number of brokers), so one file serves a laptop and a cluster.
 */
import { fieldLines, problemAt, ProvisionFileError, quoted } from "./lines.ts";

/** A topic as the file wants it. */
export interface TopicSpec {
  name: string;
  partitions: number;
  /** A replica count, or `"auto"`: min(3, number of brokers). */
  replicationFactor: number | "auto";
  /** Topic-level configs, e.g. `{ "cleanup.policy": "compact" }`. */
  configs: Record<string, string>;
  /** Line of the file that defines the topic. */
  line: number;
}

/** Highest replication factor a topic can have (Kafka's replica count is an int16). */
const MAX_REPLICATION = 32_767;
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const CONFIG_NAME = /^[a-z][a-z0-9]*(\.[a-z0-9]+)*$/;

/** Why `name` is not a legal Kafka topic name, or null if it is. */
export function topicNameProblem(name: string): string | null {
  if (name === "." || name === "..") return `topic name cannot be ${quoted(name)}`;
  if (!TOPIC_NAME.test(name)) {
    return `invalid topic name ${
      quoted(name)
    }: use letters, digits, ".", "_" and "-" (at most 249)`;
  }
  return null;
}

function positiveInt(text: string): number | null {
  return /^[1-9][0-9]{0,8}$/.test(text) ? Number(text) : null;
}

function parseLine(fields: string[], line: number): { spec?: TopicSpec; reasons: string[] } {
  const [name, partitionsText, replicationText, ...configFields] = fields;
  if (replicationText === undefined) {
    return {
      reasons: [
        `expected "name partitions replication [key=value ...]" (got ${quoted(fields.join(" "))})`,
      ],
    };
  }
  const reasons: string[] = [];
  const nameProblem = topicNameProblem(name);
  if (nameProblem) reasons.push(nameProblem);
  const partitions = positiveInt(partitionsText);
  if (partitions === null) {
    reasons.push(`partitions must be a positive integer (got ${quoted(partitionsText)})`);
  }
  const replication = replicationText === "auto" ? "auto" : positiveInt(replicationText);
  if (replication === null || (replication !== "auto" && replication > MAX_REPLICATION)) {
    reasons.push(
      `replication factor must be a positive integer or "auto" (got ${quoted(replicationText)})`,
    );
  }
  const configs: Record<string, string> = {};
  for (const field of configFields) {
    const eq = field.indexOf("=");
    const key = field.slice(0, eq);
    const value = field.slice(eq + 1);
    if (eq <= 0 || value === "") reasons.push(`expected key=value (got ${quoted(field)})`);
    else if (!CONFIG_NAME.test(key)) reasons.push(`invalid config name ${quoted(key)}`);
    else if (key in configs) reasons.push(`config ${quoted(key)} is given twice`);
    else configs[key] = value;
  }
  if (reasons.length > 0) return { reasons };
  return {
    spec: { name, partitions: partitions!, replicationFactor: replication!, configs, line },
    reasons,
  };
}

/**
 * Parses the text of a topics file. Every malformed line is reported
 * (`file:line: reason`) in one `ProvisionFileError`; duplicate topics and
 * names Kafka would reject as colliding (`a.b` and `a_b`) are errors too.
 */
export function parseTopicsFile(text: string, options: { fileName: string }): TopicSpec[] {
  const problems: string[] = [];
  const specs: TopicSpec[] = [];
  const seen = new Map<string, TopicSpec>();
  for (const { line, fields } of fieldLines(text)) {
    const { spec, reasons } = parseLine(fields, line);
    for (const reason of reasons) problems.push(problemAt(options.fileName, line, reason));
    if (!spec) continue;
    const collisionKey = spec.name.replaceAll(".", "_");
    const earlier = seen.get(collisionKey);
    if (earlier) {
      const reason = earlier.name === spec.name
        ? `topic ${quoted(spec.name)} is already defined on line ${earlier.line}`
        : `topic ${quoted(spec.name)} collides with ${
          quoted(earlier.name)
        } (line ${earlier.line}): Kafka treats "." and "_" alike in metric names`;
      problems.push(problemAt(options.fileName, line, reason));
      continue;
    }
    seen.set(collisionKey, spec);
    specs.push(spec);
  }
  if (problems.length > 0) throw new ProvisionFileError(problems);
  return specs;
}

/** Reads and parses a topics file; problems name the file as `path`. */
export async function readTopicsFile(path: string): Promise<TopicSpec[]> {
  return parseTopicsFile(await Deno.readTextFile(path), { fileName: path });
}
