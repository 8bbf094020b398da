import assert from "node:assert/strict";
import { comparePatterns, isRouteFile, routePattern } from "./route_path.ts";

Deno.test("route path - files map to Fresh-style patterns", async (t) => {
  await t.step("index files are the folder", () => {
    assert.equal(routePattern("index.tsx"), "/");
    assert.equal(routePattern("api/index.ts"), "/api");
  });
  await t.step("[name] is a parameter, [...name] a catch-all", () => {
    assert.equal(routePattern("api/foo/[id].ts"), "/api/foo/:id");
    assert.equal(routePattern("files/[...path].ts"), "/files/:path{.+}");
    assert.equal(routePattern("[org]/[repo]/settings.tsx"), "/:org/:repo/settings");
  });
  await t.step("a malformed segment is refused with the file name", () => {
    assert.throws(() => routePattern("api/[id.ts"), /routes\/api\/\[id\.ts: bad segment/);
  });
});

Deno.test("route path - underscore files and tests are not routes", () => {
  assert.equal(isRouteFile("index.tsx"), true);
  assert.equal(isRouteFile("api/events.ts"), true);
  assert.equal(isRouteFile("_404.tsx"), false);
  assert.equal(isRouteFile("_lib/helper.ts"), false);
  assert.equal(isRouteFile("api/events_test.ts"), false);
  assert.equal(isRouteFile("styles.css"), false);
});

Deno.test("route path - fixed segments sort before parameters and catch-alls", () => {
  const sorted = ["/:a", "/items/:id", "/items/new", "/:rest{.+}", "/", "/items"].sort(
    comparePatterns,
  );
  assert.deepEqual(sorted, ["/", "/items", "/items/new", "/items/:id", "/:a", "/:rest{.+}"]);
});
