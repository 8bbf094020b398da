/** Only KafkaJS's negative-timeout warning is dropped; other warnings still print. */
import assert from "node:assert/strict";
import { runDeno } from "./helpers.ts";

Deno.test("TimeoutNegativeWarning is dropped, other warnings are printed", async () => {
  const module = new URL("../shared/kafka/kafkajs_warnings.ts", import.meta.url);
  const script = `
    import process from "node:process";
    import { dropNegativeTimeoutWarnings } from "${module}";
    dropNegativeTimeoutWarnings();
    dropNegativeTimeoutWarnings();
    setTimeout(() => {}, -5);
    process.emitWarning("still shown", "OtherWarning");
  `;
  const { code, stderr: text } = await runDeno(
    ["run", "--no-config", "--allow-read=.", "-"],
    { stdin: script },
  );
  assert.equal(code, 0, text);
  assert.doesNotMatch(text, /TimeoutNegativeWarning/);
  assert.match(text, /OtherWarning: still shown/);
});
