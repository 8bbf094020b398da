import assert from "node:assert/strict";
import type { RouteModule } from "./route_types.ts";
import type { RouteTable } from "./route_files.ts";
import { withAliases } from "./route_aliases.ts";

const saldo: RouteModule = { access: "open", handler: { GET: () => new Response("saldo") } };
const produce: RouteModule = { access: "open", handler: { POST: () => new Response("sent") } };
const table: RouteTable = {
  routes: [
    { file: "api/saldo/[id].ts", pattern: "/api/saldo/:id", module: saldo },
    { file: "api/poc/produce.ts", pattern: "/api/poc/produce", module: produce },
  ],
};

Deno.test("withAliases - an alias is a route with its canonical route's module, marked", () => {
  const out = withAliases(table, [
    { path: "/saldo/:id", canonical: "/api/saldo/:id" },
    { path: "/produce", canonical: "/api/poc/produce" },
  ]);
  assert.equal(out.routes.length, 4);
  const alias = out.routes.find((r) => r.pattern === "/saldo/:id")!;
  assert.equal(alias.module, saldo, "the same module: handler, page and access");
  assert.equal(alias.aliasOf, "/api/saldo/:id");
  assert.equal(alias.file, "api/saldo/[id].ts");
  assert.equal(table.routes.length, 2, "the table given is left as it was");
});

Deno.test("withAliases - a wrong alias stops the app, named", async (t) => {
  const cases: [string, string, RegExp][] = [
    ["/saldo/:id", "/api/nope/:id", /route alias \/saldo\/:id → \/api\/nope\/:id: no route/],
    ["/api/poc/produce", "/api/saldo/:id", /already a route/],
    ["/saldo/:other", "/api/saldo/:id", /the parameters differ/],
    ["/saldo", "/api/saldo/:id", /the parameters differ/],
    ["saldo/:id", "/api/saldo/:id", /not a route pattern/],
    ["/saldo/../x", "/api/saldo/:id", /not a route pattern/],
  ];
  for (const [path, canonical, message] of cases) {
    await t.step(`${path} → ${canonical}`, () => {
      assert.throws(() => withAliases(table, [{ path, canonical }]), message);
    });
  }
  await t.step("an alias of an alias", () => {
    assert.throws(
      () =>
        withAliases(table, [
          { path: "/saldo/:id", canonical: "/api/saldo/:id" },
          { path: "/s/:id", canonical: "/saldo/:id" },
        ]),
      /is itself an alias/,
    );
  });
  await t.step("the same alias twice", () => {
    assert.throws(
      () =>
        withAliases(table, [
          { path: "/produce", canonical: "/api/poc/produce" },
          { path: "/produce", canonical: "/api/poc/produce" },
        ]),
      /\/produce is already a route/,
    );
  });
});
