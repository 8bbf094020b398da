/**
 * kafka-acls.txt: one rule per line, `principal resource operations
 * [allow|deny]`, e.g. `doctor group:doctor-* READ`. A rule with several
 * operations (`READ,DESCRIBE`) becomes one binding per operation. The
 * principals a rule may name are given (the root list's, freshet.ts): the
 * kernel knows none by name.
 */
import {
  type AclBinding,
  type AclResourceType,
  bindingKey,
  CLUSTER_NAME,
  formatResource,
  RESOURCE_OPERATIONS,
} from "./acl_binding.ts";
import { fieldLines, problemAt, ProvisionFileError, quoted } from "./lines.ts";
import { topicNameProblem } from "./topics_file.ts";

const RESOURCE_TYPES = Object.keys(RESOURCE_OPERATIONS) as AclResourceType[];

type Resource = Pick<AclBinding, "resourceType" | "patternType" | "resourceName">;

/** Options of `parseAclsFile` and `readAclsFile`. */
export interface AclsFileOptions {
  /** The principals a rule may name (Freshet's: freshet.ts `PRINCIPALS`). */
  principals: readonly string[];
}

function parsePrincipal(
  text: string,
  principals: readonly string[],
): { principal?: string; reason?: string } {
  const name = text.startsWith("User:") ? text.slice(5) : text;
  if (principals.includes(name)) return { principal: name };
  return { reason: `unknown principal ${quoted(text)} (known: ${principals.join(", ")})` };
}

function parseResource(text: string): { resource?: Resource; reason?: string } {
  const colon = text.indexOf(":");
  const type = colon < 0 ? text : text.slice(0, colon);
  const name = colon < 0 ? "" : text.slice(colon + 1);
  if (!(RESOURCE_TYPES as string[]).includes(type)) {
    return {
      reason: `unknown resource type ${quoted(type)} (expected topic:NAME, group:NAME, ` +
        `transactional-id:NAME or cluster)`,
    };
  }
  if (type === "cluster") {
    if (name !== "" && name !== CLUSTER_NAME) {
      return { reason: `the cluster resource is "cluster" (got ${quoted(text)})` };
    }
    return { resource: { resourceType: type, patternType: "literal", resourceName: CLUSTER_NAME } };
  }
  if (name === "") {
    return { reason: `${quoted(text)} needs a name, e.g. ${type}:NAME or ${type}:*` };
  }
  const prefixed = name.length > 1 && name.endsWith("*");
  const bare = prefixed ? name.slice(0, -1) : name;
  if (bare !== "*" && bare.includes("*")) {
    return { reason: `"*" may only end a name or stand alone (got ${quoted(text)})` };
  }
  if (type === "topic" && bare !== "*") {
    const problem = prefixed
      ? (/^[A-Za-z0-9._-]+$/.test(bare) ? null : `invalid topic prefix ${quoted(bare)}`)
      : topicNameProblem(bare);
    if (problem) return { reason: problem };
  }
  return {
    resource: {
      resourceType: type,
      patternType: prefixed ? "prefixed" : "literal",
      resourceName: bare,
    },
  };
}

function parseOperations(
  text: string,
  type: AclResourceType,
): { operations: string[]; reasons: string[] } {
  const valid: readonly string[] = RESOURCE_OPERATIONS[type];
  const operations: string[] = [];
  const reasons: string[] = [];
  for (const raw of text.split(",")) {
    const op = raw.trim().toUpperCase();
    if (op === "") reasons.push(`empty operation in ${quoted(text)}`);
    else if (!valid.includes(op)) {
      reasons.push(`unknown operation ${quoted(raw)} on a ${type} (valid: ${valid.join(", ")})`);
    } else operations.push(op);
  }
  return { operations, reasons };
}

function parseLine(
  fields: string[],
  line: number,
  principals: readonly string[],
): { bindings: AclBinding[]; reasons: string[] } {
  if (fields.length < 3 || fields.length > 4) {
    return {
      bindings: [],
      reasons: [
        `expected "principal resource operations [allow|deny]" (got ${quoted(fields.join(" "))})`,
      ],
    };
  }
  const [principalText, resourceText, operationsText, permissionText = "allow"] = fields;
  const reasons: string[] = [];
  const { principal, reason: principalReason } = parsePrincipal(principalText, principals);
  if (principalReason) reasons.push(principalReason);
  const { resource, reason: resourceReason } = parseResource(resourceText);
  if (resourceReason) reasons.push(resourceReason);
  const permission = permissionText.toLowerCase();
  if (permission !== "allow" && permission !== "deny") {
    reasons.push(`expected allow or deny (got ${quoted(permissionText)})`);
  }
  const ops = resource
    ? parseOperations(operationsText, resource.resourceType as AclResourceType)
    : { operations: [], reasons: [] };
  reasons.push(...ops.reasons);
  if (reasons.length > 0 || !principal || !resource) return { bindings: [], reasons };
  const bindings = ops.operations.map((operation): AclBinding => ({
    principal,
    ...resource,
    operation,
    permission: permission as "allow" | "deny",
    host: "*",
    line,
  }));
  return { bindings, reasons };
}

/**
 * Parses the text of an ACL file. Every malformed line is reported
 * (`file:line: reason`) in one `ProvisionFileError`; a binding given twice
 * is an error naming both lines.
 */
export function parseAclsFile(
  text: string,
  options: AclsFileOptions & { fileName: string },
): AclBinding[] {
  const problems: string[] = [];
  const result: AclBinding[] = [];
  const seen = new Map<string, AclBinding>();
  for (const { line, fields } of fieldLines(text)) {
    const { bindings, reasons } = parseLine(fields, line, options.principals);
    for (const reason of reasons) problems.push(problemAt(options.fileName, line, reason));
    for (const binding of bindings) {
      const earlier = seen.get(bindingKey(binding));
      if (earlier) {
        problems.push(problemAt(
          options.fileName,
          line,
          `${binding.operation} on ${formatResource(binding)} for ${binding.principal} ` +
            `is already given on line ${earlier.line}`,
        ));
        continue;
      }
      seen.set(bindingKey(binding), binding);
      result.push(binding);
    }
  }
  if (problems.length > 0) throw new ProvisionFileError(problems);
  return result;
}

/** Reads and parses an ACL file; problems name the file as `path`. */
export async function readAclsFile(path: string, options: AclsFileOptions): Promise<AclBinding[]> {
  return parseAclsFile(await Deno.readTextFile(path), { ...options, fileName: path });
}
