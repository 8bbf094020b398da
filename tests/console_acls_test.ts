/**
 * The console's ACL page against the real broker: bindings by principal
 * marked ok / missing / extra against kafka-acls.txt (under a topic
 * prefix too), and the SCRAM users the broker knows, read by the console
 * principal (not a super user).
 */
import assert from "node:assert/strict";
import { withAdmin } from "../shared/kafka/client.ts";
import { type AclBinding, createBindings, deleteBindings } from "../shared/provision/mod.ts";
import { adminKafka, randomName } from "./helpers.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { createWorldApp } from "./prefixed_world.ts";

const ORIGIN = "http://127.0.0.1";

type Row = { resource: string; operation: string; status: string };

Deno.test("console acls - compared with kafka-acls.txt; SCRAM users", async (t) => {
  const kafka = adminKafka();
  const prefix = `${randomName("t-acls")}.`;
  const wanted: AclBinding = {
    principal: "web",
    resourceType: "topic",
    patternType: "literal",
    resourceName: `${prefix}demands.created`,
    operation: "WRITE",
    permission: "allow",
    host: "*",
  };
  const extra: AclBinding = {
    ...wanted,
    resourceName: `${prefix}not-in-the-file`,
    operation: "READ",
  };
  const dataDir = await Deno.makeTempDir({ prefix: "freshet-console-acls-" });
  const { app, shutdown } = await createWorldApp({ dataDir, prefix }, { auth: testAuth() });
  const webRows = async (): Promise<Row[]> => {
    const response = await app.fetch(
      new Request(`${ORIGIN}/api/acls?principal=web`, { headers: basic("viewer") }),
    );
    assert.equal(response.status, 200);
    const body = await response.json();
    assert.equal(body.principals.length, 1);
    return body.principals[0].bindings.filter((b: Row) => b.resource.includes(prefix));
  };
  try {
    await t.step("the file's bindings under the prefix are missing until created", async () => {
      const rows = await webRows();
      const write = rows.find((r) =>
        r.resource === `topic:${prefix}demands.created` && r.operation === "WRITE"
      );
      assert.equal(write?.status, "missing");
    });
    await withAdmin(kafka, (admin) => createBindings(admin, [wanted, extra]));
    await t.step("then ok, and a binding the file lacks is extra", async () => {
      const rows = await webRows();
      const status = (resource: string, operation: string) =>
        rows.find((r) => r.resource === resource && r.operation === operation)?.status;
      assert.equal(status(`topic:${prefix}demands.created`, "WRITE"), "ok");
      assert.equal(status(`topic:${prefix}not-in-the-file`, "READ"), "extra");
    });
    await t.step("differences only", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/acls?diff=1`, { headers: basic("viewer") }),
      );
      const body = await response.json();
      const statuses = new Set(
        body.principals.flatMap((p: { bindings: Row[] }) => p.bindings.map((b) => b.status)),
      );
      assert.ok(!statuses.has("ok"));
      const console = body.principals.find((p: { principal: string }) => p.principal === "console");
      const missing = (console?.bindings ?? []).filter((b: Row) => b.status === "missing");
      assert.deepEqual(missing, [], "the console's own bindings are all applied");
    });
    await t.step("the SCRAM users, read as the console principal", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/api/acls?principal=none`, { headers: basic("viewer") }),
      );
      const { scramUsers, scramProblem } = await response.json();
      assert.equal(scramProblem, undefined);
      const names = scramUsers.map((u: { name: string }) => u.name);
      for (const name of ["admin", "console", "web", "monitor"]) assert.ok(names.includes(name));
      const console = scramUsers.find((u: { name: string }) => u.name === "console");
      assert.equal(console.credentials[0].mechanism, "SCRAM-SHA-256");
      assert.ok(console.credentials[0].iterations >= 4096);
    });
    await t.step("the page lists them as text", async () => {
      const response = await app.fetch(
        new Request(`${ORIGIN}/console/acls?principal=web&diff=1`, { headers: basic("viewer") }),
      );
      const html = await response.text();
      assert.equal(response.status, 200);
      assert.match(html, new RegExp(`topic:${prefix.replaceAll(".", "\\.")}not-in-the-file`));
      assert.match(html, /extra \(not in the file\)/);
      assert.match(html, /<td class="break">console<\/td>/);
    });
  } finally {
    await withAdmin(kafka, (admin) => deleteBindings(admin, [wanted, extra]));
    shutdown();
    await Deno.remove(dataDir, { recursive: true });
  }
});
