/**
 * What `/console/acls` and `GET /api/acls` show: the ACL comparison and
 * the SCRAM users, optionally narrowed to one principal or to the
 * differences only (`?principal=web&diff=1`).
 */
import type { ConsoleKafka } from "../console_kafka.ts";
import { type AclComparison, compareAcls, type PrincipalAcls } from "./acl_compare.ts";
import { describeScramUsers, type ScramUser } from "./scram_users.ts";

/** The query of the ACL page and API. */
export interface AclsQuery {
  principal?: string;
  /** Only `missing` and `extra` bindings. */
  diff: boolean;
}

/** The ACL view. */
export interface AclsView extends AclComparison {
  scramUsers: ScramUser[];
  /** Why the SCRAM users could not be listed, if they could not. */
  scramProblem?: string;
}

/** Reads `?principal=` and `?diff=1`. */
export function parseAclsQuery(url: URL): AclsQuery {
  const principal = url.searchParams.get("principal")?.trim() || undefined;
  const diff = ["1", "true", "on"].includes(url.searchParams.get("diff") ?? "");
  return { principal, diff };
}

function narrow(principals: PrincipalAcls[], query: AclsQuery): PrincipalAcls[] {
  return principals
    .filter((p) => !query.principal || p.principal === query.principal)
    .map((p) => query.diff ? { ...p, bindings: p.bindings.filter((b) => b.status !== "ok") } : p)
    .filter((p) => !query.diff || p.bindings.length > 0);
}

/** The comparison and the SCRAM users as the console principal sees them. */
export async function loadAclsView(
  kafka: ConsoleKafka,
  options: { topicPrefix: string; principals: readonly string[]; query: AclsQuery },
): Promise<AclsView> {
  const comparison = await compareAcls(await kafka.admin(), options);
  let scramUsers: ScramUser[] = [];
  let scramProblem: string | undefined;
  try {
    scramUsers = await describeScramUsers(await kafka.cluster());
  } catch (error) {
    scramProblem = error instanceof Error ? error.message : String(error);
  }
  return {
    ...comparison,
    principals: narrow(comparison.principals, options.query),
    scramUsers,
    scramProblem,
  };
}
