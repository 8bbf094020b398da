/**
 * How the tour prints: a heading per step, then what it did, what to
 * notice, what it checked and the equivalent `deno task kafka:cli`
 * commands. Colour only on a terminal and without `NO_COLOR`.
 */
import type { CleanupReport, StepReport, TourStep } from "./tour.ts";

/** Writes lines; `color` says whether ANSI styles may be used. */
export interface Printer {
  color: boolean;
  line(text?: string): void;
}

/** A printer on standard output (colour on a terminal unless NO_COLOR). */
export function stdoutPrinter(): Printer {
  return {
    color: Deno.stdout.isTerminal() && !Deno.noColor,
    line: (text = "") => console.log(text),
  };
}

const STYLES = { bold: [1, 22], dim: [2, 22], green: [32, 39], red: [31, 39], cyan: [36, 39] };

function style(printer: Printer, name: keyof typeof STYLES, text: string): string {
  const [on, off] = STYLES[name];
  return printer.color ? `\x1b[${on}m${text}\x1b[${off}m` : text;
}

/** `text` wrapped at `width` columns, continuation lines indented by `indent`. */
export function wrap(text: string, width: number, indent = ""): string[] {
  const lines: string[] = [];
  let current = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = indent + word;
    } else current = current ? `${current} ${word}` : word;
  }
  if (current) lines.push(current);
  return lines;
}

/** The heading of step `index` (1-based) of `total`, and its concept. */
export function printHeading(printer: Printer, index: number, total: number, step: TourStep) {
  const title = ` ${index}/${total} · ${step.title} `;
  printer.line();
  printer.line(style(printer, "bold", `━━${title}${"━".repeat(Math.max(4, 76 - title.length))}`));
  for (const line of wrap(step.concept, 78)) printer.line(style(printer, "dim", line));
}

function section(printer: Printer, title: string, items: string[], bullet: string) {
  if (items.length === 0) return;
  printer.line();
  printer.line(style(printer, "bold", title));
  for (const item of items) {
    // Lines starting with a space are preformatted (tables): printed as they are.
    if (item.startsWith(" ")) printer.line(`   ${item}`);
    else {
      for (const [i, line] of wrap(item, 74).entries()) {
        printer.line(i === 0 ? `  ${bullet} ${line}` : `    ${line}`);
      }
    }
  }
}

/** What the step did, what to notice, what was checked, the commands to try. */
export function printReport(printer: Printer, report: StepReport, checked: string[]) {
  section(printer, "What the tour did", report.did, "•");
  section(printer, "What to notice", report.notice, "→");
  section(printer, "Checked on the broker", checked.map((c) => style(printer, "green", c)), "✔");
  if (report.commands.length > 0) {
    printer.line();
    printer.line(style(printer, "bold", "The same with Kafka's own tools (while the tour runs)"));
    for (const command of report.commands) {
      printer.line(style(printer, "cyan", `  $ ${command}`));
    }
  }
}

/** A failed step: what was claimed and what the broker did instead. */
export function printFailure(printer: Printer, title: string, message: string) {
  printer.line();
  printer.line(style(printer, "red", `✘ ${title} failed: ${message}`));
}

/** What cleanup removed. */
export function printCleanup(printer: Printer, run: string, report: CleanupReport) {
  printer.line();
  printer.line(
    `Cleaned up run ${run}: ${report.topics.length} topics, ${report.groups.length} groups, ` +
      `${report.bindings} ACL bindings, its files.`,
  );
}

/** `rows` as aligned text columns (each line starts with a space: preformatted). */
export function table(rows: (string | number)[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => String(r[c]).length)));
  return rows.map((row) => " " + row.map((cell, c) => String(cell).padEnd(widths[c])).join("  "));
}
