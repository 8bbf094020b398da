/**
 * `deno task bench:summary [--last N] [files…]`: benchmark runs side by
 * side — by default the last three under `bench/results/` (profiled runs
 * left out), or the files given — one column per run: each figure, each
 * check with its target and ✔/✘, and each section's outcome (a failed
 * section with the first line of its error). A figure a run did not
 * measure shows as "—". The README's Performance table is read from it.
 */
import { parseArgs } from "node:util";
import type { Check, RunResults } from "./results.ts";

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en") : String(Math.round(n * 100) / 100);

const MISSING = "—";

function runLabel(run: RunResults): string {
  const load = run.machine?.loadAverage?.[0];
  const commit = run.versions?.commit?.split(" ")[0];
  return [
    run.startedAt.slice(0, 16).replace("T", " "),
    commit,
    load === undefined ? undefined : `load ${load}`,
    run.finishedAt === undefined ? "unfinished" : undefined,
  ].filter(Boolean).join(", ");
}

function row(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function checkCell(check: Check | undefined): string {
  if (!check) return MISSING;
  return `${fmt(check.value)}${check.pass === null ? "" : check.pass ? " ✔" : " ✘"}`;
}

/** The runs as tables with one column per run, oldest first. */
export function summaryTable(runs: RunResults[]): string {
  const heads = runs.map((_, i) => `run ${i + 1}`);
  const lines = [
    `${runs.length} run(s):`,
    ...runs.map((r, i) => `- run ${i + 1}: ${runLabel(r)}`),
    "",
    row(["section", ...heads]),
    row(["---", ...heads.map(() => "---")]),
  ];
  const sections = [
    ...new Set(
      runs.flatMap((r) => r.sections?.map((s) => s.name) ?? r.options.sections as string[] ?? []),
    ),
  ];
  for (const name of sections) {
    lines.push(row([name, ...runs.map((r) => sectionCell(r, name))]));
  }
  lines.push("", row(["figure", ...heads, "unit"]), row(["---", ...heads.map(() => "---"), "---"]));
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.figures)))];
  for (const name of names) {
    const unit = runs.find((r) => r.figures[name])!.figures[name].unit;
    const cells = runs.map((r) => r.figures[name] ? fmt(r.figures[name].value) : MISSING);
    lines.push(row([name, ...cells, unit]));
  }
  lines.push(
    "",
    row(["check", ...heads, "target", "runs meeting it"]),
    row(["---", ...heads.map(() => "---"), "---", "---"]),
  );
  const checks = [...new Set(runs.flatMap((r) => r.checks.map((c) => c.name)))];
  for (const name of checks) {
    const found = runs.map((r) => r.checks.find((c) => c.name === name));
    const measured = found.filter(Boolean) as Check[];
    const latest = measured.at(-1)!;
    const met = latest.pass === null
      ? MISSING
      : `${measured.filter((c) => c.pass).length} of ${measured.length}`;
    lines.push(row([name, ...found.map(checkCell), latest.target, met]));
  }
  return lines.join("\n");
}

function sectionCell(run: RunResults, name: string): string {
  const outcome = run.sections?.find((s) => s.name === name);
  if (!outcome) {
    // Runs written before sections were recorded: finished means every section ran.
    const ran = (run.options.sections as string[] | undefined)?.includes(name);
    return ran && run.finishedAt ? "ok" : MISSING;
  }
  if (outcome.status === "failed") {
    return `**failed**: ${outcome.error?.split("\n")[0].replaceAll("|", "\\|")}`;
  }
  return outcome.seconds === undefined
    ? outcome.status
    : `${outcome.status} (${outcome.seconds} s)`;
}

/** The last `count` runs by start time, profiled runs left out. */
export function lastRuns(runs: RunResults[], count: number): RunResults[] {
  return runs.filter((r) => !r.options.profile)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt))
    .slice(-count);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    options: { last: { type: "string", default: "3" } },
    allowPositionals: true,
  });
  const last = Number(values.last);
  if (!Number.isInteger(last) || last < 1) {
    console.error(`--last: expected an integer ≥ 1 (got ${JSON.stringify(values.last)})`);
    Deno.exit(2);
  }
  const dir = new URL("./results/", import.meta.url);
  const files = positionals.length > 0
    ? positionals
    : [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".json")).map((e) =>
      new URL(e.name, dir).pathname
    );
  const runs = files.map((f) => JSON.parse(Deno.readTextFileSync(f)) as RunResults);
  console.log(summaryTable(positionals.length > 0 ? runs : lastRuns(runs, last)));
}
