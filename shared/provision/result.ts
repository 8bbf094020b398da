/**
 * What a provisioning run did, as data (for callers and tests) and as a
 * short text for people.
 */

/** One finding about one topic or ACL binding. */
export interface ProvisionItem {
  kind: "topic" | "acl";
  /** The topic name, or the binding as `formatBinding` writes it. */
  name: string;
  /** What was done or found, e.g. `grew 1→3 partitions`. */
  detail?: string;
}

/**
 * The outcome of applying a file: `created` and `changed` were done (or
 * would be, in a dry run), `drift` is a difference left as is, `errors`
 * failed.
 */
export interface ProvisionResult {
  dryRun: boolean;
  created: ProvisionItem[];
  unchanged: ProvisionItem[];
  changed: ProvisionItem[];
  drift: ProvisionItem[];
  errors: ProvisionItem[];
}

const SECTIONS = ["created", "unchanged", "changed", "drift", "errors"] as const;

/** A result with nothing in it yet. */
export function emptyResult(dryRun = false): ProvisionResult {
  return { dryRun, created: [], unchanged: [], changed: [], drift: [], errors: [] };
}

/** The findings of several results, in order. */
export function mergeResults(...results: ProvisionResult[]): ProvisionResult {
  const merged = emptyResult(results.some((r) => r.dryRun));
  for (const result of results) {
    for (const section of SECTIONS) merged[section].push(...result[section]);
  }
  return merged;
}

const MARKS = { created: "+", changed: "~", drift: "!", errors: "x" } as const;

function counts(result: ProvisionResult, kind: ProvisionItem["kind"]): string {
  return SECTIONS.map((section) => {
    const n = result[section].filter((item) => item.kind === kind).length;
    return `${n} ${section === "errors" && n === 1 ? "error" : section}`;
  }).join(", ");
}

/**
 * Summary lines of one section; ACL bindings that differ only by operation
 * (`web topic:x WRITE allow`, `web topic:x DESCRIBE allow`) share a line.
 */
function sectionLines(items: ProvisionItem[], mark: string): string[] {
  const lines: string[] = [];
  const groups = new Map<string, { index: number; operations: string[] }>();
  for (const item of items) {
    const detail = item.detail ? `: ${item.detail}` : "";
    if (item.kind !== "acl") {
      lines.push(`  ${mark} ${item.kind} ${item.name}${detail}`);
      continue;
    }
    // formatBinding writes `principal resource OPERATION permission [host=...]`.
    const [principal, resource, operation, ...rest] = item.name.split(" ");
    const key = `${principal} ${resource} ${rest.join(" ")}${detail}`;
    const group = groups.get(key) ?? { index: lines.push("") - 1, operations: [] };
    groups.set(key, group);
    group.operations.push(operation);
    lines[group.index] = `  ${mark} acl ${principal} ${resource} ${group.operations.join(",")} ${
      rest.join(" ")
    }${detail}`;
  }
  return lines;
}

/**
 * A concise summary: one count line per kind, then one line per created,
 * changed, drifted or failed item (unchanged ones are only counted).
 */
export function formatSummary(result: ProvisionResult): string {
  const lines = [
    ...(result.dryRun ? ["dry run: nothing was changed on the broker"] : []),
    `topics: ${counts(result, "topic")}`,
    `acls:   ${counts(result, "acl")}`,
  ];
  for (const section of ["created", "changed", "drift", "errors"] as const) {
    lines.push(...sectionLines(result[section], MARKS[section]));
  }
  return lines.join("\n");
}
