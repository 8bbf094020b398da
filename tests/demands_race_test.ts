/**
 * Two doctors (`a` and `b`, each its own consumer group and database) see
 * the same demand and both assume it before either has read the other's
 * `demands.assumed`. Kafka's log decides: the first event in the
 * demand's partition wins in both databases — the winner's demand is
 * `assumed`, the loser's `taken`, and both name the same doctor.
 */
import assert from "node:assert/strict";
import { DEMANDS_ASSUMED, DEMANDS_CREATED } from "../services/demands/demand.ts";
import { assumeDemand, type DemandRow, getDemand } from "../services/demands/doctor_db.ts";
import { produce, waitFor } from "./helpers.ts";
import {
  demandsWorld,
  type Doctor,
  readTopic,
  startDoctor,
  storedOffset,
  textOf,
} from "./demands_helpers.ts";

Deno.test("demands - two doctors assume at once: the first demands.assumed in the log wins for both", async () => {
  const world = await demandsWorld();
  const doctors: Doctor[] = [];
  try {
    for (const name of ["a", "b"]) {
      const dataDir = `${world.dataDir}/${name}`;
      await Deno.mkdir(dataDir);
      doctors.push(await startDoctor(world, name, { dataDir }));
    }
    const [a, b] = doctors;
    const id = `race-${crypto.randomUUID()}`;
    await produce(world.kafka, world.topic(DEMANDS_CREATED), [{
      key: id,
      value: JSON.stringify({
        id,
        type: "emergency",
        location: { lat: -22.9, lng: -43.2 },
        metadata: { priority: "critical" },
      }),
    }]);
    await waitFor(
      "both doctors to see the demand",
      () => doctors.every((d) => getDemand(d.db, id)),
    );

    // Both decide before either event is even sent (the relays poll every 200 ms).
    const assumedTopic = world.topic(DEMANDS_ASSUMED);
    const results = doctors.map((d) => assumeDemand(d.db, d.name, id, assumedTopic));
    for (const result of results) {
      assert.ok(result.ok && result.eventId, "each doctor assumed it locally, with an event");
      assert.equal(result.demand.status, "assumed");
    }

    let events: Awaited<ReturnType<typeof readTopic>> = [];
    await waitFor("both events in the log", async () => {
      events = (await readTopic(world, DEMANDS_ASSUMED)).filter((m) => m.key === id);
      return events.length === 2;
    });
    assert.equal(events[0].partition, events[1].partition, "one key, one partition");
    const winner = JSON.parse(textOf(events[0])).doctor as string;
    const loser = winner === "a" ? "b" : "a";
    assert.deepEqual(
      events.map((e) => JSON.parse(textOf(e)).doctor).sort(),
      ["a", "b"],
    );

    // Each doctor has read past both events.
    const last = events[1];
    await waitFor(
      "both doctors to read both events",
      () => doctors.every((d) => storedOffset(d.db, assumedTopic, last.partition) > last.offset),
    );
    const rows = Object.fromEntries(
      doctors.map((d) => [d.name, getDemand(d.db, id)!]),
    ) as Record<string, DemandRow>;
    assert.equal(rows.a.assignedTo, winner);
    assert.equal(rows.b.assignedTo, winner);
    assert.equal(rows[winner].status, "assumed");
    assert.equal(rows[loser].status, "taken");
    assert.deepEqual([a.runner.counters.deadLettered, b.runner.counters.deadLettered], [0, 0]);
  } finally {
    for (const d of doctors) await d.stop();
    await world.close();
  }
});
