import assert from "node:assert/strict";
import { describeAround } from "./idle_bench.ts";

Deno.test("idle window - the brokers and the machine beside it, as one line", () => {
  const window = {
    cpuPercent: 1,
    rssMiB: 200,
    windowSeconds: 60,
    threads: [],
    wakeUpsPerSecond: 18,
  };
  assert.equal(
    describeAround({ ...window, brokersCpu: [2.04], machineBusyPercent: 4.5 }),
    "the local broker 2.0 %; the whole machine 4.5 % of a core busy",
  );
  assert.equal(
    describeAround({ ...window, brokersCpu: [1, 9.96, 3], machineBusyPercent: 20 }),
    "the local brokers 1.0 %, 10.0 %, 3.0 %; the whole machine 20.0 % of a core busy",
  );
  assert.equal(
    describeAround({ ...window, brokersCpu: [], machineBusyPercent: 0.5 }),
    "no local broker; the whole machine 0.5 % of a core busy",
  );
});
