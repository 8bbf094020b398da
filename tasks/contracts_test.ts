import assert from "node:assert/strict";
import { principalsFor } from "./contracts_doc.ts";
import { readAclsFile, readTopicsFile } from "../shared/provision/mod.ts";
import { CONTRACTS, expectedContracts } from "./contracts.ts";
import { PRINCIPALS } from "../freshet.ts";

const root = new URL("..", import.meta.url).pathname;

Deno.test("contracts - docs/contracts.md matches the zod schemas, topics and ACLs", async () => {
  const current = await Deno.readTextFile(`${root}docs/contracts.md`);
  assert.equal(current, await expectedContracts(), "run `deno task contracts`");
});

Deno.test("contracts - every topic of kafka-topics.txt has a contract, and only those", async () => {
  const topics = (await readTopicsFile(`${root}kafka-topics.txt`)).map((t) => t.name).sort();
  assert.deepEqual(CONTRACTS.map((c) => c.topic).sort(), topics);
});

Deno.test("contracts - producers and consumers come from the ACLs", async () => {
  const acls = await readAclsFile(`${root}kafka-acls.txt`, { principals: PRINCIPALS });
  assert.deepEqual(principalsFor(acls, "orders.created", "WRITE"), ["orders"]);
  assert.ok(principalsFor(acls, "orders.created", "READ").includes("payments"));
  assert.ok(!principalsFor(acls, "contas", "READ").includes("payments"));
});
