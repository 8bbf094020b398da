import assert from "node:assert/strict";
import { isLeaderMoving } from "../../shared/kafka/errors.ts";
import { protocolError } from "../../shared/kafka/protocol_error_fixture.ts";
import { recovering } from "./console_kafka.ts";

/** A client whose `call()` fails with each of `failures`, then answers "ok". */
function flakyClient(failures: Error[]) {
  const state = { calls: 0, resets: 0 };
  const client = {
    call(): Promise<string> {
      const failure = failures[state.calls++];
      return failure ? Promise.reject(failure) : Promise.resolve("ok");
    },
  };
  return {
    state,
    get: () => Promise.resolve(client),
    reset: () => Promise.resolve(void state.resets++),
  };
}

const recovery = {
  retryOn: (error: unknown, attempt: number) => isLeaderMoving(error) && attempt < 4,
  backoffMs: () => 1,
};

Deno.test("console kafka - a leader moving is asked again on a new client, within a bound", async (t) => {
  await t.step("two moves, then the answer", async () => {
    const flaky = flakyClient([
      protocolError("NOT_LEADER_FOR_PARTITION"),
      protocolError("LEADER_NOT_AVAILABLE"),
    ]);
    const client = recovering(flaky.get, flaky.reset, recovery);
    assert.equal(await client.call(), "ok");
    assert.deepEqual(flaky.state, { calls: 3, resets: 2 });
  });
  await t.step("a leader that never comes back fails after the bound", async () => {
    const flaky = flakyClient(
      Array.from({ length: 10 }, () => protocolError("NOT_LEADER_FOR_PARTITION")),
    );
    const client = recovering(flaky.get, flaky.reset, recovery);
    await assert.rejects(() => client.call(), /NOT_LEADER_FOR_PARTITION/);
    assert.deepEqual(flaky.state, { calls: 4, resets: 3 });
  });
  await t.step("any other error is thrown at once", async () => {
    const flaky = flakyClient([protocolError("TOPIC_AUTHORIZATION_FAILED")]);
    const client = recovering(flaky.get, flaky.reset, recovery);
    await assert.rejects(() => client.call(), /TOPIC_AUTHORIZATION_FAILED/);
    assert.deepEqual(flaky.state, { calls: 1, resets: 0 });
  });
});
