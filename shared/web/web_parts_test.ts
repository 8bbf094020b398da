import assert from "node:assert/strict";
import type { KernelServices, WebPart } from "./services.ts";
import { WebParts } from "./web_parts.ts";

const kernel = { topicPrefix: "p." } as KernelServices;

function part(
  name: string,
  log: string[],
): WebPart<{ name: string; prefix: string }, { tag?: string }> {
  return {
    name,
    create(kernel, options) {
      log.push(`create ${name}${options.tag ? ` ${options.tag}` : ""}`);
      return { name, prefix: kernel.topicPrefix };
    },
    close(value) {
      log.push(`close ${value.name}`);
      if (name === "b") throw new Error("b fails to close");
    },
  };
}

Deno.test("web parts - built once from the kernel and the app's options, looked up by declaration", () => {
  const log: string[] = [];
  const [a, b] = [part("a", log), part("b", log)];
  const parts = new WebParts(kernel, [a, b], { tag: "injected" });
  assert.deepEqual(log, ["create a injected", "create b injected"]);
  assert.deepEqual(parts.get(a), { name: "a", prefix: "p." });
  assert.equal(parts.get(a), parts.get(a), "the same value every time");
  assert.throws(() => parts.get(part("c", log)), /no web part "c".*freshet\.ts/);
});

Deno.test("web parts - two parts of one name are refused", () => {
  const log: string[] = [];
  assert.throws(
    () => new WebParts(kernel, [part("a", log), part("a", log)], {}),
    /two web parts are named "a"/,
  );
});

Deno.test("web parts - closed last first, every one even when one fails; then gone", async () => {
  const log: string[] = [];
  const [a, b, c] = [part("a", log), part("b", log), part("c", log)];
  const parts = new WebParts(kernel, [a, b, c], {});
  await parts.close();
  assert.deepEqual(log.slice(3), ["close c", "close b", "close a"]);
  assert.throws(() => parts.get(a), /no web part "a"/);
});
