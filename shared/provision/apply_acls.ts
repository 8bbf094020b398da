/**
 * Applies ACL bindings idempotently: missing ones are created, present ones
 * left alone, and bindings of Freshet principals that the file does not
 * list are reported as extra (deleted only with `prune`).
 */
import type { Admin } from "kafkajs";
import { errorMessage } from "../core/errors.ts";
import { type AclBinding, bindingKey, formatBinding } from "./acl_binding.ts";
import { ALL_ACLS_FILTER, fromDescribedResources, toAclEntry } from "./acl_codec.ts";
import { emptyResult, type ProvisionResult } from "./result.ts";

/** Options of `applyAcls`. */
export interface ApplyAclsOptions {
  /** Freshet's principals (freshet.ts `PRINCIPALS`): their bindings not in the file are extra. */
  principals: readonly string[];
  /** Compare only; change nothing. */
  dryRun?: boolean;
  /** Delete extra bindings of Freshet principals instead of only reporting them. */
  prune?: boolean;
  /**
   * Consider only broker bindings on resources whose name starts with this
   * as extra (default: every binding of a Freshet principal). Lets a test
   * prune its own bindings without touching the real ones.
   */
  resourcePrefix?: string;
  /** How long created or deleted bindings get to show on the broker (default 10 000 ms). */
  propagationTimeoutMs?: number;
}

/** Every `User:` binding on the broker. */
export async function listBindings(admin: Admin): Promise<AclBinding[]> {
  const answer = await admin.describeAcls(ALL_ACLS_FILTER);
  return fromDescribedResources(answer.resources);
}

async function waitUntil(
  admin: Admin,
  visible: (keys: Set<string>) => boolean,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const keys = new Set((await listBindings(admin)).map(bindingKey));
    if (visible(keys)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Creates `bindings` and waits until the broker answering lists them
 * (its authorizer has them), so a client connecting next is allowed.
 */
export async function createBindings(
  admin: Admin,
  bindings: AclBinding[],
  options: { propagationTimeoutMs?: number } = {},
): Promise<void> {
  if (bindings.length === 0) return;
  await admin.createAcls({ acl: bindings.map(toAclEntry) });
  const wanted = bindings.map(bindingKey);
  const shown = await waitUntil(
    admin,
    (keys) => wanted.every((k) => keys.has(k)),
    options.propagationTimeoutMs ?? 10_000,
  );
  if (!shown) throw new Error("the broker did not list the new ACL bindings in time");
}

/** Deletes exactly `bindings` and waits until the broker no longer lists them. */
export async function deleteBindings(
  admin: Admin,
  bindings: AclBinding[],
  options: { propagationTimeoutMs?: number } = {},
): Promise<void> {
  if (bindings.length === 0) return;
  await admin.deleteAcls({ filters: bindings.map(toAclEntry) });
  const gone = bindings.map(bindingKey);
  const done = await waitUntil(
    admin,
    (keys) => gone.every((k) => !keys.has(k)),
    options.propagationTimeoutMs ?? 10_000,
  );
  if (!done) throw new Error("the broker still lists the deleted ACL bindings");
}

/** Applies `bindings` (from an ACL file) to the broker `admin` talks to. */
export async function applyAcls(
  admin: Admin,
  bindings: AclBinding[],
  options: ApplyAclsOptions,
): Promise<ProvisionResult> {
  const result = emptyResult(options.dryRun);
  const item = (binding: AclBinding, detail?: string) => ({
    kind: "acl" as const,
    name: formatBinding(binding),
    detail,
  });
  const present = await listBindings(admin);
  const presentKeys = new Set(present.map(bindingKey));
  const wantedKeys = new Set(bindings.map(bindingKey));
  const missing = bindings.filter((b) => !presentKeys.has(bindingKey(b)));
  for (const binding of bindings) {
    if (presentKeys.has(bindingKey(binding))) result.unchanged.push(item(binding));
  }
  const extra = present.filter((b) =>
    options.principals.includes(b.principal) &&
    !wantedKeys.has(bindingKey(b)) &&
    b.resourceName.startsWith(options.resourcePrefix ?? "")
  );
  if (options.dryRun) {
    result.created.push(...missing.map((b) => item(b, "would create")));
  } else {
    try {
      await createBindings(admin, missing, options);
      result.created.push(...missing.map((b) => item(b)));
    } catch (error) {
      result.errors.push(...missing.map((b) => item(b, errorMessage(error))));
    }
  }
  if (!options.prune) {
    result.drift.push(...extra.map((b) => item(b, "extra: not in the file (--prune removes it)")));
  } else if (options.dryRun) {
    result.changed.push(...extra.map((b) => item(b, "extra: would remove")));
  } else {
    try {
      await deleteBindings(admin, extra, options);
      result.changed.push(...extra.map((b) => item(b, "extra: removed")));
    } catch (error) {
      result.errors.push(...extra.map((b) => item(b, errorMessage(error))));
    }
  }
  return result;
}
