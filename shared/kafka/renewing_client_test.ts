import assert from "node:assert/strict";
import { isLeaderMoving } from "./errors.ts";
import { protocolError } from "./protocol_error_fixture.ts";
import { NEVER_RENEW, RenewingClient, type RenewPolicy } from "./renewing_client.ts";

/**
 * Clients made by a factory that counts them; client n's `call()` fails
 * with `failures[k]` for the k-th call overall, then answers its number.
 */
function factory(failures: Error[] = [], connectFailures = 0) {
  const state = { made: 0, connects: 0, disconnects: 0, calls: 0 };
  const make = () => {
    const id = ++state.made;
    return {
      id,
      size: 3,
      connect() {
        state.connects++;
        return state.connects <= connectFailures
          ? Promise.reject(new Error(`connect ${state.connects} failed`))
          : Promise.resolve();
      },
      disconnect() {
        state.disconnects++;
        return Promise.resolve();
      },
      call(suffix = ""): Promise<string> {
        const failure = failures[state.calls++];
        return failure ? Promise.reject(failure) : Promise.resolve(`client ${id}${suffix}`);
      },
    };
  };
  return { state, make };
}

const whileLeaderMoves: RenewPolicy = {
  retryOn: (error, attempt) => isLeaderMoving(error) && attempt < 4,
  backoffMs: () => 1,
};

Deno.test("renewing client - a renewable failure is asked again on a new client, within the policy's bound", async (t) => {
  await t.step("two moves, then the answer on the third client", async () => {
    const f = factory([
      protocolError("NOT_LEADER_FOR_PARTITION"),
      protocolError("LEADER_NOT_AVAILABLE"),
    ]);
    const client = new RenewingClient(f.make, whileLeaderMoves);
    assert.equal(await client.run((c) => c.call()), "client 3");
    assert.deepEqual(f.state, { made: 3, connects: 3, disconnects: 2, calls: 3 });
  });
  await t.step(
    "a leader that never comes back fails after the bound; the stale client is dropped",
    async () => {
      const f = factory(
        Array.from({ length: 10 }, () => protocolError("NOT_LEADER_FOR_PARTITION")),
      );
      const client = new RenewingClient(f.make, whileLeaderMoves);
      await assert.rejects(() => client.run((c) => c.call()), /NOT_LEADER_FOR_PARTITION/);
      assert.deepEqual(f.state, { made: 4, connects: 4, disconnects: 4, calls: 4 });
    },
  );
  await t.step("any other error is thrown at once, and the client kept", async () => {
    const f = factory([protocolError("TOPIC_AUTHORIZATION_FAILED")]);
    const client = new RenewingClient(f.make, whileLeaderMoves);
    await assert.rejects(() => client.run((c) => c.call()), /TOPIC_AUTHORIZATION_FAILED/);
    assert.equal(await client.run((c) => c.call()), "client 1");
    assert.deepEqual(f.state, { made: 1, connects: 1, disconnects: 0, calls: 2 });
  });
  await t.step("the wait before each retry is the policy's", async () => {
    const waits: number[] = [];
    const f = factory([
      protocolError("LEADER_NOT_AVAILABLE"),
      protocolError("LEADER_NOT_AVAILABLE"),
    ]);
    const client = new RenewingClient(f.make, {
      retryOn: (error, attempt) => isLeaderMoving(error) && attempt < 3,
      backoffMs: (retry) => (waits.push(retry), 5 * retry),
    });
    const started = performance.now();
    assert.equal(await client.run((c) => c.call()), "client 3");
    assert.deepEqual(waits, [1, 2]);
    assert.ok(performance.now() - started >= 14, "waited 5 + 10 ms");
  });
});

Deno.test("renewing client - connected once, shared, connected again after a failed connect", async (t) => {
  await t.step("callers at once share one connect", async () => {
    const f = factory();
    const client = new RenewingClient(f.make);
    const answers = await Promise.all([1, 2, 3].map(() => client.run((c) => c.call())));
    assert.deepEqual(answers, ["client 1", "client 1", "client 1"]);
    assert.equal(f.state.connects, 1);
  });
  await t.step("a failed connect is not kept: the next call connects anew", async () => {
    const f = factory([], 1);
    const client = new RenewingClient(f.make, NEVER_RENEW);
    await assert.rejects(() => client.connected(), /connect 1 failed/);
    assert.equal(await client.run((c) => c.call()), "client 2");
  });
  await t.step("close disconnects; the next call connects a new client", async () => {
    const f = factory();
    const client = new RenewingClient(f.make);
    await client.run((c) => c.call());
    await client.close();
    assert.equal(f.state.disconnects, 1);
    assert.equal(await client.run((c) => c.call()), "client 2");
    await client.close();
    await client.close(); // nothing connected: nothing to do
    assert.equal(f.state.disconnects, 2);
  });
});

Deno.test("renewing client - a renewal by one caller does not drop the client another caller already renewed", async () => {
  const f = factory([protocolError("LEADER_NOT_AVAILABLE"), protocolError("LEADER_NOT_AVAILABLE")]);
  const client = new RenewingClient(f.make, {
    retryOn: (e, n) => isLeaderMoving(e) && n < 3,
    backoffMs: () => 0,
  });
  // Both calls fail on client 1; each drops client 1 once, and both end on the same client 2.
  const answers = await Promise.all([client.run((c) => c.call()), client.run((c) => c.call())]);
  assert.deepEqual(answers, ["client 2", "client 2"]);
  assert.equal(f.state.made, 2);
});

Deno.test("renewing client - a call whose client another caller dropped meanwhile is asked again on the new one", async () => {
  // Client 1's slow call fails only because a concurrent caller renewed (disconnected) it,
  // as KafkaJS answers "Not connected" to calls in flight on a client being disconnected.
  let disconnected = false;
  let made = 0;
  const make = () => {
    const id = ++made;
    return {
      connect: () => Promise.resolve(),
      disconnect() {
        if (id === 1) disconnected = true;
        return Promise.resolve();
      },
      async slow(): Promise<string> {
        await new Promise((r) => setTimeout(r, 20));
        if (id === 1 && disconnected) throw new Error("Not connected");
        return `client ${id}`;
      },
      fail(): Promise<string> {
        return id === 1
          ? Promise.reject(protocolError("LEADER_NOT_AVAILABLE"))
          : Promise.resolve(`client ${id}`);
      },
    };
  };
  const client = new RenewingClient(make, {
    retryOn: (e, n) => isLeaderMoving(e) && n < 3,
    backoffMs: () => 0,
  });
  const slow = client.run((c) => c.slow());
  const renewed = await client.run((c) => c.fail());
  assert.equal(renewed, "client 2");
  assert.equal(await slow, "client 2", "asked again on the new client, not failed");
  assert.equal(made, 2);
});

Deno.test("renewing client - the stand-in calls every method through the renewal", async () => {
  const f = factory([protocolError("NOT_LEADER_FOR_PARTITION")]);
  const client = new RenewingClient(f.make, whileLeaderMoves);
  const standIn = client.standIn();
  assert.equal(await standIn.call("!"), "client 2!");
  // A property is read as an async member; awaiting the stand-in itself is not a promise.
  assert.equal(await (standIn.size as unknown as () => Promise<number>)(), 3);
  assert.equal((standIn as unknown as { then?: unknown }).then, undefined);
});
