import assert from "node:assert/strict";
import { absolutePath, grantFlags, workerPermissions } from "./grant.ts";

Deno.test("absolutePath - made absolute against the current folder, ./ .. and trailing / resolved", () => {
  assert.equal(absolutePath("/srv/freshet/./data/"), "/srv/freshet/data");
  assert.equal(absolutePath("/srv/freshet/data/../tls/ca.pem"), "/srv/freshet/tls/ca.pem");
  assert.equal(absolutePath("data"), `${Deno.cwd()}/data`);
  assert.equal(absolutePath("/"), "/");
});

Deno.test("grantFlags - one flag per kind, values once each, an empty list grants nothing", () => {
  assert.deepEqual(
    grantFlags({
      net: ["a:1", "a:1", "b:2"],
      read: ["/d", ""],
      write: [],
      env: ["X"],
      run: ["deno"],
      sys: true,
    }),
    ["--allow-net=a:1,b:2", "--allow-read=/d", "--allow-env=X", "--allow-run=deno", "--allow-sys"],
  );
  assert.deepEqual(grantFlags({ net: [], read: [], write: [], env: [] }), []);
});

Deno.test("workerPermissions - the same grant for a Worker, everything else denied", () => {
  assert.deepEqual(
    workerPermissions({ net: ["a:1"], read: ["/d"], write: ["/d"], env: ["X", "X"] }),
    {
      net: ["a:1"],
      read: ["/d"],
      write: ["/d"],
      env: ["X"],
      run: false,
      sys: false,
      ffi: false,
      import: false,
    },
  );
  assert.deepEqual(
    workerPermissions({ net: [], read: [], write: [], env: [], run: ["deno"] }).run,
    ["deno"],
  );
});
