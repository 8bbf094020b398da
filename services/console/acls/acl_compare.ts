/**
 * The broker's ACLs by principal, compared with kafka-acls.txt: each
 * binding is `ok` (on the broker and in the file), `missing` (in the file,
 * not on the broker: `deno task topics` creates it) or `extra` (on the
 * broker, not in the file: `deno task topics --prune` removes those of
 * Freshet's principals). Under a topic prefix, the file's topic names are
 * compared under that prefix, as a prefixed deployment must grant them
 * (but `*` and Kafka's own `__` names, which are the cluster's).
 */
import type { Admin } from "kafkajs";
import {
  type AclBinding,
  bindingKey,
  DEFAULT_ACLS_FILE,
  formatResource,
  listBindings,
  ProvisionFileError,
  readAclsFile,
} from "../../../shared/provision/mod.ts";

/** One binding and how it compares. */
export interface ComparedBinding {
  resource: string;
  resourceType: string;
  patternType: string;
  operation: string;
  permission: string;
  host: string;
  status: "ok" | "missing" | "extra";
  /** Line of kafka-acls.txt, for bindings the file defines. */
  line?: number;
}

/** One principal's bindings. */
export interface PrincipalAcls {
  principal: string;
  /** Whether it is one of Freshet's principals (the root list's, freshet.ts). */
  freshet: boolean;
  bindings: ComparedBinding[];
  counts: { ok: number; missing: number; extra: number };
}

/** The comparison. */
export interface AclComparison {
  principals: PrincipalAcls[];
  /** Why kafka-acls.txt could not be read, if it could not. */
  fileProblem?: string;
}

function underPrefix(binding: AclBinding, prefix: string): AclBinding {
  if (!prefix || binding.resourceType !== "topic" || binding.resourceName === "*") return binding;
  // Kafka's internal topics (`__…`) are the cluster's, never under a deployment's prefix.
  if (binding.resourceName.startsWith("__")) return binding;
  return { ...binding, resourceName: `${prefix}${binding.resourceName}` };
}

function compared(binding: AclBinding, status: ComparedBinding["status"]): ComparedBinding {
  return {
    resource: formatResource(binding),
    resourceType: binding.resourceType,
    patternType: binding.patternType,
    operation: binding.operation,
    permission: binding.permission,
    host: binding.host,
    status,
    line: binding.line,
  };
}

/** Compares the broker's bindings with the file's (default kafka-acls.txt). */
export async function compareAcls(
  admin: Admin,
  options: { topicPrefix: string; principals: readonly string[]; file?: string },
): Promise<AclComparison> {
  let wanted: AclBinding[] = [];
  let fileProblem: string | undefined;
  const file = options.file ?? DEFAULT_ACLS_FILE;
  try {
    wanted = (await readAclsFile(file, options)).map((b) => underPrefix(b, options.topicPrefix));
  } catch (error) {
    if (error instanceof ProvisionFileError) fileProblem = error.problems.join("; ");
    else if (error instanceof Deno.errors.NotFound) fileProblem = `${file} not found`;
    else throw error;
  }
  const present = await listBindings(admin);
  const presentKeys = new Set(present.map(bindingKey));
  const wantedKeys = new Set(wanted.map(bindingKey));
  const byPrincipal = new Map<string, ComparedBinding[]>();
  const add = (principal: string, binding: ComparedBinding) => {
    const list = byPrincipal.get(principal) ?? [];
    list.push(binding);
    byPrincipal.set(principal, list);
  };
  for (const b of wanted) {
    add(b.principal, compared(b, presentKeys.has(bindingKey(b)) ? "ok" : "missing"));
  }
  for (const b of present) {
    if (!wantedKeys.has(bindingKey(b))) add(b.principal, compared(b, "extra"));
  }
  const principals = [...byPrincipal].map(([principal, bindings]): PrincipalAcls => {
    bindings.sort((a, b) =>
      a.resource.localeCompare(b.resource) || a.operation.localeCompare(b.operation)
    );
    const counts = { ok: 0, missing: 0, extra: 0 };
    for (const b of bindings) counts[b.status]++;
    return {
      principal,
      freshet: options.principals.includes(principal),
      bindings,
      counts,
    };
  }).sort((a, b) =>
    Number(b.freshet) - Number(a.freshet) || a.principal.localeCompare(b.principal)
  );
  return { principals, fileProblem };
}
