import assert from "node:assert/strict";
import { oneProblemEach, problemsOf as fileProblems } from "./file_problems_fixture.ts";
import { parseTopicsFile } from "./topics_file.ts";

const parse = (text: string) => parseTopicsFile(text, { fileName: "kafka-topics.txt" });
const problemsOf = (text: string) => fileProblems(parse, text);

Deno.test("topics file - parses names, counts, auto and configs; skips comments", () => {
  const specs = parseTopicsFile(
    [
      "# header",
      "",
      "orders.created  3  auto   # inline comment",
      "contas 1 2 cleanup.policy=compact segment.ms=60000",
    ].join("\n"),
    { fileName: "f" },
  );
  assert.deepEqual(specs, [
    { name: "orders.created", partitions: 3, replicationFactor: "auto", configs: {}, line: 3 },
    {
      name: "contas",
      partitions: 1,
      replicationFactor: 2,
      configs: { "cleanup.policy": "compact", "segment.ms": "60000" },
      line: 4,
    },
  ]);
});

Deno.test("topics file - a bad line is reported with its file and line number", async (t) => {
  const cases: [string, string, string][] = [
    [
      "partitions not a number",
      "ok 1 1\n\n# c\nbad x 1",
      "kafka-topics.txt:4: " +
      'partitions must be a positive integer (got "x")',
    ],
    [
      "zero partitions",
      "bad 0 1",
      'kafka-topics.txt:1: partitions must be a positive integer (got "0")',
    ],
    [
      "bad replication",
      "bad 1 two",
      'kafka-topics.txt:1: replication factor must be a positive integer or "auto" (got "two")',
    ],
    [
      "too few fields",
      "\nbad 3",
      'kafka-topics.txt:2: expected "name partitions replication [key=value ...]" (got "bad 3")',
    ],
    ["illegal topic name", "bad/name 1 1", 'kafka-topics.txt:1: invalid topic name "bad/name"'],
    [
      "config without value",
      "t 1 1 cleanup.policy",
      'kafka-topics.txt:1: expected key=value (got "cleanup.policy")',
    ],
    ["config name", "t 1 1 Cleanup=compact", 'kafka-topics.txt:1: invalid config name "Cleanup"'],
    ["config twice", "t 1 1 a.b=1 a.b=2", 'kafka-topics.txt:1: config "a.b" is given twice'],
    [
      "duplicate topic",
      "t 1 1\nu 1 1\nt 3 1",
      'kafka-topics.txt:3: topic "t" is already defined on line 1',
    ],
    [
      "colliding names",
      "a.b 1 1\na_b 1 1",
      'kafka-topics.txt:2: topic "a_b" collides with "a.b" (line 1)',
    ],
  ];
  await oneProblemEach(t, parse, cases);
  await t.step("every bad line is reported at once", () => {
    assert.deepEqual(problemsOf("a x 1\nb 1 1\nc 1 0").map((p) => p.split(": ")[0]), [
      "kafka-topics.txt:1",
      "kafka-topics.txt:3",
    ]);
  });
});
