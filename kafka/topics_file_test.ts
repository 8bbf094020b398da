/**
 * The project's own kafka-topics.txt: it parses, and the seeds' topics are
 * there as the seeds need them (partitions, compaction, dead letters).
 */
import assert from "node:assert/strict";
import { readTopicsFile } from "../shared/provision/topics_file.ts";

Deno.test("topics file - the real kafka-topics.txt parses and holds the seeds' topics", async () => {
  const specs = await readTopicsFile(new URL("../kafka-topics.txt", import.meta.url).pathname);
  const byName = new Map(specs.map((s) => [s.name, s]));
  const consumed = ["demands.created", "demands.assumed", "orders.created", "orders.paid"];
  for (const name of [...consumed, "orders.failed", "contas"]) {
    assert.equal(byName.get(name)?.partitions, 3, name);
    assert.ok(byName.has(`${name}.dlq`), `${name}.dlq is missing`);
  }
  assert.equal(byName.get("primeiro_topico")?.partitions, 1);
  assert.equal(byName.get("contas")?.configs["cleanup.policy"], "compact");
  assert.notEqual(byName.get("contas.dlq")?.configs["cleanup.policy"], "compact");
  for (const catalogue of ["clients", "products"]) {
    assert.equal(byName.get(catalogue)?.configs["cleanup.policy"], "compact", catalogue);
  }
  // The rest is the services' own: tasks/contracts_test.ts checks every topic of the file has a
  // contract in its owner's module, and only those.
});
