import assert from "node:assert/strict";
import { checkRouteModule, loadRoutes } from "./route_files.ts";
import { allowedMethods } from "./route_methods.ts";

const ok = () => new Response("ok");
const Page = () => null;

Deno.test("checkRouteModule - a route's exports, checked at start, the file named", async (t) => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ["nothing", { access: "open" }, /routes\/x\.ts: exports neither a handler nor a default page/],
    ["a page that is not a component", { default: "page", access: "open" }, /must be a component/],
    [
      "a handler of the wrong kind",
      { handler: 3, access: "open" },
      /a function or an object of methods/,
    ],
    [
      "an unknown method",
      { handler: { FETCH: ok }, access: "open" },
      /handler\.FETCH is not one of GET/,
    ],
    ["no access", { handler: { GET: ok } }, /routes\/x\.ts: declares no access/],
    [
      "a method without access",
      { handler: { GET: ok, POST: ok }, access: { GET: "open" } },
      /access\.POST is missing/,
    ],
  ];
  for (const [what, module, problem] of cases) {
    await t.step(what, () => assert.throws(() => checkRouteModule("x.ts", module), problem));
  }
  await t.step("a page with a GET handler, and a handler function for every method", () => {
    checkRouteModule("p.tsx", { default: Page, handler: { GET: ok }, access: "viewer" });
    checkRouteModule("f.ts", { handler: ok, access: "public" });
  });
});

Deno.test("allowedMethods - what a route answers: HEAD with GET, a page's GET, * for a function", () => {
  assert.deepEqual(allowedMethods({ handler: { GET: ok, POST: ok } }).sort(), [
    "GET",
    "HEAD",
    "POST",
  ]);
  assert.deepEqual(allowedMethods({ default: Page }).sort(), ["GET", "HEAD"]);
  assert.deepEqual(allowedMethods({ handler: { DELETE: ok } }), ["DELETE"]);
  assert.deepEqual(allowedMethods({ handler: ok }), ["*"]);
});

Deno.test("loadRoutes - the files under routes/, their patterns, the shell and 404 apart; none without the folder", async () => {
  const dir = await Deno.makeTempDir({ prefix: "freshet-routes-" });
  try {
    const write = async (file: string, text: string) => {
      await Deno.mkdir(`${dir}/routes/${file.split("/").slice(0, -1).join("/")}`, {
        recursive: true,
      });
      await Deno.writeTextFile(`${dir}/routes/${file}`, text);
    };
    const route =
      'export const access = "open";\nexport const handler = { GET: () => new Response("x") };';
    await write("index.ts", route);
    await write("api/items/[id].ts", route);
    await write("_helper.ts", "export const x = 1;");
    await write("api/items/[id]_test.ts", "throw new Error('a test is not a route');");
    await write("_404.tsx", "export default function NotFound() { return null; }");
    const table = await loadRoutes(new URL(`file://${dir}/routes/`));
    assert.deepEqual(table.routes.map((r) => [r.file, r.pattern]).sort(), [
      ["api/items/[id].ts", "/api/items/:id"],
      ["index.ts", "/"],
    ]);
    assert.equal(typeof table.notFound?.default, "function");
    assert.equal(table.app, undefined);
    assert.deepEqual(await loadRoutes(new URL(`file://${dir}/nowhere/`)), { routes: [] });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
