/**
 * Translation between Freshet's ACL bindings and the wire codes of the
 * Kafka admin API (as KafkaJS exposes them). Codes KafkaJS does not name
 * (newer resource types or operations) survive the round trip as `code:N`,
 * so extra broker bindings can still be reported and pruned.
 */
import {
  type AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  type DescribeAclResource,
  ResourcePatternTypes,
} from "kafkajs";
import type { AclBinding } from "./acl_binding.ts";

const RESOURCE_CODES: Record<string, number> = {
  topic: AclResourceTypes.TOPIC,
  group: AclResourceTypes.GROUP,
  cluster: AclResourceTypes.CLUSTER,
  "transactional-id": AclResourceTypes.TRANSACTIONAL_ID,
  "delegation-token": AclResourceTypes.DELEGATION_TOKEN,
  user: 7,
};

const OPERATION_CODES: Record<string, number> = {
  ALL: AclOperationTypes.ALL,
  READ: AclOperationTypes.READ,
  WRITE: AclOperationTypes.WRITE,
  CREATE: AclOperationTypes.CREATE,
  DELETE: AclOperationTypes.DELETE,
  ALTER: AclOperationTypes.ALTER,
  DESCRIBE: AclOperationTypes.DESCRIBE,
  CLUSTER_ACTION: AclOperationTypes.CLUSTER_ACTION,
  DESCRIBE_CONFIGS: AclOperationTypes.DESCRIBE_CONFIGS,
  ALTER_CONFIGS: AclOperationTypes.ALTER_CONFIGS,
  IDEMPOTENT_WRITE: AclOperationTypes.IDEMPOTENT_WRITE,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
};

function toCode(table: Record<string, number>, name: string): number {
  if (name in table) return table[name];
  const match = /^code:(\d+)$/.exec(name);
  if (match) return Number(match[1]);
  throw new Error(`no Kafka code for ${JSON.stringify(name)}`);
}

function toName(table: Record<string, number>, code: number): string {
  return Object.entries(table).find(([, c]) => c === code)?.[0] ?? `code:${code}`;
}

/** The KafkaJS entry that creates (or, as a filter, matches exactly) `binding`. */
export function toAclEntry(binding: AclBinding): AclEntry {
  return {
    principal: `User:${binding.principal}`,
    host: binding.host,
    resourceType: toCode(RESOURCE_CODES, binding.resourceType),
    resourceName: binding.resourceName,
    resourcePatternType: binding.patternType === "prefixed"
      ? ResourcePatternTypes.PREFIXED
      : ResourcePatternTypes.LITERAL,
    operation: toCode(OPERATION_CODES, binding.operation),
    permissionType: binding.permission === "deny"
      ? AclPermissionTypes.DENY
      : AclPermissionTypes.ALLOW,
  };
}

/**
 * The bindings of a DescribeAcls answer whose principal is `User:<name>`
 * (other principal types, e.g. `Group:`, are not Freshet's).
 */
export function fromDescribedResources(resources: DescribeAclResource[]): AclBinding[] {
  const bindings: AclBinding[] = [];
  for (const resource of resources) {
    for (const acl of resource.acls) {
      if (!acl.principal.startsWith("User:")) continue;
      bindings.push({
        principal: acl.principal.slice(5),
        resourceType: toName(RESOURCE_CODES, resource.resourceType),
        patternType: resource.resourcePatternType === ResourcePatternTypes.PREFIXED
          ? "prefixed"
          : "literal",
        resourceName: resource.resourceName,
        operation: toName(OPERATION_CODES, acl.operation),
        permission: acl.permissionType === AclPermissionTypes.DENY ? "deny" : "allow",
        host: acl.host,
      });
    }
  }
  return bindings;
}

/** A DescribeAcls filter matching every binding on the broker. */
export const ALL_ACLS_FILTER = {
  resourceType: AclResourceTypes.ANY,
  resourcePatternType: ResourcePatternTypes.ANY,
  operation: AclOperationTypes.ANY,
  permissionType: AclPermissionTypes.ANY,
};
