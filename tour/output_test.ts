import assert from "node:assert/strict";
import { type Printer, printReport, table, wrap } from "./output.ts";

Deno.test("tour output - text wraps at the width, tables align their columns", () => {
  assert.deepEqual(wrap("one two three four", 9), ["one two", "three", "four"]);
  assert.deepEqual(table([["key", "partition"], ["pedido-10", 2]]), [
    " key        partition",
    " pedido-10  2        ",
  ]);
});

Deno.test("tour output - a report lists what was done, noticed, checked and the commands", () => {
  const lines: string[] = [];
  const printer: Printer = { color: false, line: (text = "") => lines.push(text) };
  printReport(printer, { did: ["sent", " a  b"], notice: ["order"], commands: ["deno task x"] }, [
    "held",
  ]);
  assert.deepEqual(lines.filter((l) => l !== ""), [
    "What the tour did",
    "  • sent",
    "    a  b",
    "What to notice",
    "  → order",
    "Checked on the broker",
    "  ✔ held",
    "The same with Kafka's own tools (while the tour runs)",
    "  $ deno task x",
  ]);
});
