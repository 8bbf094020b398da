/** Only KafkaJS's negative-timeout warning is dropped; other warnings still print. */
import assert from "node:assert/strict";

Deno.test("TimeoutNegativeWarning is dropped, other warnings are printed", async () => {
  const script = `
    import process from "node:process";
    import { dropNegativeTimeoutWarnings } from "${new URL(
    "../shared/kafkajs_warnings.ts",
    import.meta.url,
  )}";
    dropNegativeTimeoutWarnings();
    dropNegativeTimeoutWarnings();
    setTimeout(() => {}, -5);
    process.emitWarning("still shown", "OtherWarning");
  `;
  const out = await new Deno.Command("deno", {
    args: ["run", "--no-config", "--allow-read=.", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = out.stdin.getWriter();
  await writer.write(new TextEncoder().encode(script));
  await writer.close();
  const { code, stderr } = await out.output();
  const text = new TextDecoder().decode(stderr);
  assert.equal(code, 0, text);
  assert.doesNotMatch(text, /TimeoutNegativeWarning/);
  assert.match(text, /OtherWarning: still shown/);
});
