import assert from "node:assert/strict";
import {
  graphProblems,
  graphSummary,
  importCycles,
  type ImportEdge,
  importGraph,
  layerProblem,
} from "./import_graph.ts";

const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const edge = (from: string, to: string): ImportEdge => ({ from, to, typeOnly: false });

Deno.test("import graph - the project: no upward import from the kernel, services apart, no cycle", async () => {
  const graph = await importGraph(root);
  assert.ok(graph.files.length > 500, `only ${graph.files.length} modules found`);
  assert.ok(
    graph.edges.some((e) => e.from === "main.ts" && e.to === "freshet.ts"),
    "the graph sees main.ts importing the root list",
  );
  assert.ok(graph.edges.some((e) => e.typeOnly), "type-only imports are in the graph");
  console.log(graphSummary(graph));
  assert.deepEqual(graphProblems(graph), []);
});

Deno.test("import graph - the layering rules, case by case", async (t) => {
  const refused: [string, string][] = [
    ["shared/web/serve.ts", "main.ts"],
    ["shared/web/services.ts", "services/console/console_kafka.ts"],
    ["shared/kafka/principals.ts", "freshet.ts"],
    ["shared/web/x.ts", "routes/index.tsx"],
    ["shared/web/x.ts", "islands/DemandBoard.tsx"],
    ["shared/consumer/x_test.ts", "tests/helpers.ts"],
    ["services/console/groups/freshet_groups.ts", "services/orders/consumer.ts"],
    ["services/payments/consumer.ts", "services/orders/events.ts"],
    ["services/demands/web/web.ts", "routes/demands/index.tsx"],
    ["services/demands/mod.ts", "freshet.ts"],
  ];
  for (const [from, to] of refused) {
    await t.step(`${from} → ${to} is refused`, () => {
      assert.ok(layerProblem(edge(from, to)), "a problem");
    });
  }
  const allowed: [string, string][] = [
    ["shared/web/serve.ts", "shared/consumer/workers.ts"],
    ["services/payments/consumer.ts", "services/orders/mod.ts"],
    ["services/demands/web/web.ts", "services/demands/demand.ts"],
    ["services/demands/web/web.ts", "shared/web/mod.ts"],
    ["routes/index.tsx", "services/demands/mod.ts"],
    ["main.ts", "freshet.ts"],
    ["tests/x_test.ts", "shared/web/serve.ts"],
  ];
  for (const [from, to] of allowed) {
    await t.step(`${from} → ${to} is fine`, () => {
      assert.equal(layerProblem(edge(from, to)), undefined);
    });
  }
});

Deno.test("import graph - cycles are found, type-only ones too, however long", () => {
  const graph = {
    files: [],
    edges: [
      edge("a.ts", "b.ts"),
      { from: "b.ts", to: "c.ts", typeOnly: true },
      edge("c.ts", "a.ts"),
      edge("c.ts", "d.ts"),
      edge("d.ts", "e.ts"),
      edge("x.ts", "x.ts"),
      ...Array.from({ length: 5000 }, (_, i) => edge(`long/${i}.ts`, `long/${i + 1}.ts`)),
      edge("long/5000.ts", "long/0.ts"),
    ],
  };
  const cycles = importCycles(graph);
  assert.equal(cycles.length, 3);
  assert.deepEqual(cycles.find((c) => c.includes("a.ts")), ["a.ts", "b.ts", "c.ts"]);
  assert.deepEqual(cycles.find((c) => c.includes("x.ts")), ["x.ts"]);
  assert.equal(cycles.find((c) => c.includes("long/0.ts"))?.length, 5001);
  assert.equal(graphProblems({ files: [], edges: [edge("d.ts", "e.ts")] }).length, 0);
});
