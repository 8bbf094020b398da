import assert from "node:assert/strict";
import { fixedWork, machineSpeed } from "./machine_speed.ts";

Deno.test("machine speed - the fixed work is the same every time; its rounds are timed", () => {
  const checksum = fixedWork();
  assert.equal(fixedWork(), checksum, "the fixed work computes the same thing each round");
  assert.notEqual(fixedWork(1_000), checksum, "its size changes what it computes");
  const speed = machineSpeed(5);
  assert.equal(speed.rounds, 5);
  assert.ok(speed.fastestMs > 0, `a round takes time: ${speed.fastestMs} ms`);
  assert.ok(speed.medianMs >= speed.fastestMs);
  assert.ok(Number.isInteger(speed.checksum) && speed.checksum >= 0);
});
