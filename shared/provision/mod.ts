/**
 * Topic and ACL provisioning: kafka-topics.txt and kafka-acls.txt parsed
 * with `file:line` errors and applied idempotently through the Kafka admin
 * API.
 */
export {
  type AclBinding,
  type AclResourceType,
  bindingKey,
  formatBinding,
  formatResource,
} from "./acl_binding.ts";
export { parseAclsFile, readAclsFile } from "./acls_file.ts";
export {
  applyAcls,
  type ApplyAclsOptions,
  createBindings,
  deleteBindings,
  listBindings,
} from "./apply_acls.ts";
export {
  applyTopics,
  type ApplyTopicsOptions,
  resolveReplication,
  waitUntilReady,
} from "./apply_topics.ts";
export { ProvisionFileError } from "./lines.ts";
export {
  DEFAULT_ACLS_FILE,
  DEFAULT_TOPICS_FILE,
  provision,
  type ProvisionOptions,
  readProvisionFiles,
} from "./provision.ts";
export {
  emptyResult,
  formatSummary,
  mergeResults,
  type ProvisionItem,
  type ProvisionResult,
} from "./result.ts";
export { parseTopicsFile, readTopicsFile, type TopicSpec } from "./topics_file.ts";
