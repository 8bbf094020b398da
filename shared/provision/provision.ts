/**
 * Provisioning in one call: reads kafka-topics.txt and kafka-acls.txt,
 * refuses to touch the broker if either has a malformed line, then applies
 * topics and ACLs as the admin principal. Used by `deno task topics` and at
 * the start of `deno task dev`.
 */
import type { Kafka } from "kafkajs";
import { createKafka, withAdmin } from "../kafka/client.ts";
import { loadKafkaConfig } from "../kafka/config.ts";
import type { AclBinding } from "./acl_binding.ts";
import { parseAclsFile } from "./acls_file.ts";
import { applyAcls } from "./apply_acls.ts";
import { applyTopics } from "./apply_topics.ts";
import { ProvisionFileError } from "./lines.ts";
import { emptyResult, mergeResults, type ProvisionResult } from "./result.ts";
import { parseTopicsFile, type TopicSpec } from "./topics_file.ts";

/** Default files, relative to the working directory (the project root for tasks). */
export const DEFAULT_TOPICS_FILE = "kafka-topics.txt";
/** Default ACL file, next to the topics file. */
export const DEFAULT_ACLS_FILE = "kafka-acls.txt";

/** Options of `provision`. */
export interface ProvisionOptions {
  /** Freshet's principals (freshet.ts `PRINCIPALS`): the ones the ACL file may name. */
  principals: readonly string[];
  /** Path of the topics file (default `kafka-topics.txt`). */
  topicsFile?: string;
  /** Path of the ACL file (default `kafka-acls.txt`). */
  aclsFile?: string;
  /** Compare only; change nothing. */
  dryRun?: boolean;
  /** Delete bindings of Freshet principals that the ACL file does not list. */
  prune?: boolean;
  /**
   * Treat only bindings on resources starting with this as extra (default:
   * every binding of a Freshet principal); see `ApplyAclsOptions`.
   */
  resourcePrefix?: string;
  /** Client to use (default: the `admin` principal's, from the environment). */
  kafka?: Kafka;
  /** How long new topics get to have a leader on every partition (default 30 000 ms). */
  readyTimeoutMs?: number;
}

/** Both files, parsed; every problem of both is reported together. */
export async function readProvisionFiles(
  options: { topicsFile: string; aclsFile: string; principals: readonly string[] },
): Promise<{ topics: TopicSpec[]; acls: AclBinding[] }> {
  const problems: string[] = [];
  const parse = async <T>(path: string, parser: (text: string) => T): Promise<T | undefined> => {
    try {
      return parser(await Deno.readTextFile(path));
    } catch (error) {
      if (error instanceof ProvisionFileError) problems.push(...error.problems);
      else if (error instanceof Deno.errors.NotFound) problems.push(`${path}: file not found`);
      else throw error;
    }
  };
  const topics = await parse(
    options.topicsFile,
    (text) => parseTopicsFile(text, { fileName: options.topicsFile }),
  );
  const acls = await parse(
    options.aclsFile,
    (text) => parseAclsFile(text, { fileName: options.aclsFile, principals: options.principals }),
  );
  if (problems.length > 0 || !topics || !acls) throw new ProvisionFileError(problems);
  return { topics, acls };
}

/** ACL bindings naming a literal topic the topics file does not define (likely a typo). */
function undefinedTopics(topics: TopicSpec[], acls: AclBinding[]): ProvisionResult {
  const result = emptyResult();
  const names = new Set(topics.map((t) => t.name));
  const reported = new Set<string>();
  for (const b of acls) {
    if (b.resourceType !== "topic" || b.patternType !== "literal" || b.resourceName === "*") {
      continue;
    }
    if (names.has(b.resourceName) || reported.has(b.resourceName)) continue;
    reported.add(b.resourceName);
    result.drift.push({
      kind: "acl",
      name: `topic:${b.resourceName}`,
      detail: `named on line ${b.line} but not defined in the topics file`,
    });
  }
  return result;
}

/**
 * Applies the topics file, then the ACL file, idempotently. Throws
 * `ProvisionFileError` (with `file:line: reason` problems) before
 * connecting if a file is malformed; broker-side failures are in the
 * result's `errors`.
 */
export async function provision(options: ProvisionOptions): Promise<ProvisionResult> {
  const { topics, acls } = await readProvisionFiles({
    topicsFile: options.topicsFile ?? DEFAULT_TOPICS_FILE,
    aclsFile: options.aclsFile ?? DEFAULT_ACLS_FILE,
    principals: options.principals,
  });
  const kafka = options.kafka ??
    createKafka(loadKafkaConfig("admin"), { clientSuffix: "provision" });
  return await withAdmin(kafka, async (admin) => {
    const topicResult = await applyTopics(admin, topics, options);
    const aclResult = await applyAcls(admin, acls, options);
    const merged = mergeResults(topicResult, aclResult, undefinedTopics(topics, acls));
    merged.dryRun = options.dryRun ?? false;
    return merged;
  });
}
