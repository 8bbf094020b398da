/**
 * `deno task bench:summary [files…]`: the runs under `bench/results/` (or
 * the files given) as one Markdown table — each figure and each check as
 * the range over the runs, with the targets and how many runs met them.
 * The README's Performance table is this output.
 */
import type { Check, RunResults } from "./results.ts";

const fmt = (n: number) =>
  Math.abs(n) >= 100 ? Math.round(n).toLocaleString("en") : String(Math.round(n * 100) / 100);

function range(values: number[]): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return lo === hi ? fmt(lo) : `${fmt(lo)}–${fmt(hi)}`;
}

/** The table of `runs`. */
export function summaryTable(runs: RunResults[]): string {
  const lines = [
    `${runs.length} run(s): ${
      runs.map((r) => r.startedAt.slice(0, 16).replace("T", " ")).join(", ")
    }`,
    "",
    "| figure | range | unit |",
    "| --- | --- | --- |",
  ];
  const names = [...new Set(runs.flatMap((r) => Object.keys(r.figures)))];
  for (const name of names) {
    const values = runs.map((r) => r.figures[name]?.value).filter((v) => v !== undefined);
    const unit = runs.find((r) => r.figures[name])!.figures[name].unit;
    lines.push(`| ${name} | ${range(values)} | ${unit} |`);
  }
  lines.push("", "| check | range | target | runs meeting it |", "| --- | --- | --- | --- |");
  const checks = [...new Set(runs.flatMap((r) => r.checks.map((c) => c.name)))];
  for (const name of checks) {
    const found = runs.map((r) => r.checks.find((c) => c.name === name)).filter(Boolean) as Check[];
    const met = found[0].pass === null
      ? "—"
      : `${found.filter((c) => c.pass).length} of ${found.length}`;
    lines.push(`| ${name} | ${range(found.map((c) => c.value))} | ${found[0].target} | ${met} |`);
  }
  return lines.join("\n");
}

if (import.meta.main) {
  const dir = new URL("./results/", import.meta.url);
  const files = Deno.args.length > 0
    ? Deno.args
    : [...Deno.readDirSync(dir)].filter((e) => e.name.endsWith(".json")).map((e) =>
      new URL(e.name, dir).pathname
    ).sort();
  const runs = files.map((f) => JSON.parse(Deno.readTextFileSync(f)) as RunResults)
    .filter((r) => !r.options.profile);
  console.log(summaryTable(runs));
}
