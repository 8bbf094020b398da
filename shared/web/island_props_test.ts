import assert from "node:assert/strict";
import { serializeIslandProps } from "./island_props.ts";

Deno.test("island props - markup characters become JSON escapes", () => {
  const text = "</script><script>alert(1)</script> & \u2028";
  const json = serializeIslandProps("X", { text });
  assert.doesNotMatch(json, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(json), { text });
});

Deno.test("island props - what cannot travel as JSON is refused", async (t) => {
  await t.step("functions", () => {
    assert.throws(() => serializeIslandProps("X", { onClick: () => {} }), /prop "onClick"/);
  });
  await t.step("children", () => {
    assert.throws(() => serializeIslandProps("X", { children: "hi" }), /children/);
  });
});
