/**
 * An ACL binding as Freshet writes it: who (a principal of
 * shared/kafka/principals.ts) may or may not do one operation on one resource
 * pattern. Broker bindings are read into the same shape to compare them.
 */

/** Resource types a file may name, with the operations Kafka defines on each. */
export const RESOURCE_OPERATIONS = {
  topic: [
    "READ",
    "WRITE",
    "CREATE",
    "DELETE",
    "ALTER",
    "DESCRIBE",
    "DESCRIBE_CONFIGS",
    "ALTER_CONFIGS",
    "ALL",
  ],
  group: ["READ", "DESCRIBE", "DELETE", "ALL"],
  "transactional-id": ["WRITE", "DESCRIBE", "ALL"],
  cluster: [
    "CREATE",
    "ALTER",
    "DESCRIBE",
    "CLUSTER_ACTION",
    "DESCRIBE_CONFIGS",
    "ALTER_CONFIGS",
    "IDEMPOTENT_WRITE",
    "ALL",
  ],
} as const;

/** A resource type of the ACL file. */
export type AclResourceType = keyof typeof RESOURCE_OPERATIONS;

/** Every operation name of the ACL file. */
export const ACL_OPERATIONS = [...new Set(Object.values(RESOURCE_OPERATIONS).flat())];

/** The only name of the cluster resource. */
export const CLUSTER_NAME = "kafka-cluster";

/** One binding. Broker bindings may carry types and operations a file cannot name. */
export interface AclBinding {
  /** Principal name without `User:`. */
  principal: string;
  resourceType: AclResourceType | string;
  /** `prefixed` matches every name starting with `resourceName`. */
  patternType: "literal" | "prefixed";
  /** `*` with `literal` is Kafka's wildcard: every resource of the type. */
  resourceName: string;
  operation: string;
  permission: "allow" | "deny";
  host: string;
  /** Line of the file that defines it (file bindings only). */
  line?: number;
}

/** The resource as written in the file: `topic:orders.paid`, `group:doctor-*`, `cluster`. */
export function formatResource(binding: AclBinding): string {
  if (binding.resourceType === "cluster") return "cluster";
  const suffix = binding.patternType === "prefixed" ? "*" : "";
  return `${binding.resourceType}:${binding.resourceName}${suffix}`;
}

/** One readable line per binding, e.g. `web topic:demands.created WRITE allow`. */
export function formatBinding(binding: AclBinding): string {
  const host = binding.host === "*" ? "" : ` host=${binding.host}`;
  return `${binding.principal} ${
    formatResource(binding)
  } ${binding.operation} ${binding.permission}${host}`;
}

/** Identity of a binding: two bindings with the same key are the same ACL. */
export function bindingKey(binding: AclBinding): string {
  return [
    binding.principal,
    binding.resourceType,
    binding.patternType,
    binding.resourceName,
    binding.operation,
    binding.permission,
    binding.host,
  ].join("\u0000");
}
