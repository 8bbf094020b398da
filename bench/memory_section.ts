/**
 * The memory section: the doctor through a backlog and the server with
 * many SSE clients, each in a process of its own, as peak and steady
 * resident set, with a leak check over ten rounds (memory_bench.ts). The
 * targets are justified in docs/performance.md ("Memory").
 */
import { type BenchContext, fmt } from "./context.ts";
import { prepareDemands } from "./doctor_bench.ts";
import { doctorMemory, serverMemory } from "./memory_bench.ts";
import { describeCheck } from "./results.ts";

/** Targets (docs/performance.md, "Memory"). */
export const MEMORY_TARGETS = {
  /** RSS after the tenth round over after the first. */
  leakRatio: 1.1,
  /** The doctor's peak RSS through any backlog, MiB. */
  doctorPeakMiB: 256,
  /** The server's RSS with 500 SSE clients, MiB. */
  serverConnectedMiB: 384,
};

/** Runs the section: the doctor over `backlog` demands, the server with `clients` clients. */
export async function memorySection(
  ctx: BenchContext,
  { backlog, clients }: { backlog: number; clients: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  console.log(`\nmemory: the doctor through ${fmt(backlog)} demands (its own process)`);
  const topicPrefix = `${prefix}memory.`;
  await prepareDemands(kafka, topicPrefix, backlog);
  const doctor = await doctorMemory({ prefix: topicPrefix, backlog, dataDir: tmpDir });
  results.data.notes.doctorMemory = doctor;
  results.figure(
    "doctorMemory.peak",
    doctor.peakMiB,
    "MiB",
    `doctor's peak RSS through ${backlog} demands`,
  );
  results.figure(
    "doctorMemory.steady",
    doctor.steadyMiB,
    "MiB",
    "doctor's RSS, median of its ten rounds",
  );
  console.log(
    `  RSS at start ${doctor.startMiB} MiB; after each tenth: ${
      doctor.roundsMiB.join(", ")
    } MiB; ` +
      `peak ${doctor.peakMiB} MiB; V8 heap after each tenth: ${doctor.heapTotalMiB.join(", ")} ` +
      `MiB, of it live after a full collection: ${doctor.liveHeapMiB.join(", ")} MiB`,
  );
  for (
    const check of [
      results.check("doctor RSS, round 10 / round 1", doctor.leakRatio, {
        atMost: MEMORY_TARGETS.leakRatio,
      }),
      results.check("doctor peak RSS, MiB", doctor.peakMiB, {
        atMost: MEMORY_TARGETS.doctorPeakMiB,
      }),
      // For scale: the same after the first tenth's warm-up, and what the JS heap retains.
      results.check("doctor RSS, round 10 / round 2", doctor.roundsMiB[9] / doctor.roundsMiB[1]),
      results.check(
        "doctor live heap, round 10 / round 2",
        doctor.liveHeapMiB[9] / doctor.liveHeapMiB[1],
      ),
    ]
  ) console.log(`  ${describeCheck(check)}`);

  console.log(
    `\nmemory: the server with ${fmt(clients)} SSE clients, ten rounds (its own process)`,
  );
  const server = await serverMemory({ clients, dataDir: tmpDir });
  results.data.notes.serverMemory = server;
  const connected = [...server.connectedMiB].sort((a, b) => a - b);
  const steady = connected[connected.length >> 1];
  results.figure("serverMemory.idle", server.idleMiB, "MiB", "server's RSS serving, no client");
  results.figure(
    "serverMemory.connected",
    steady,
    "MiB",
    `server's RSS with ${clients} SSE clients (median of rounds)`,
  );
  results.figure("serverMemory.peak", server.peakMiB, "MiB", "server's peak RSS over the rounds");
  results.figure(
    "serverMemory.perClient",
    ((steady - server.idleMiB) * 1_024) / clients,
    "KiB",
    "RSS per connected SSE client",
  );
  console.log(
    `  RSS idle ${server.idleMiB} MiB; with the clients ${server.connectedMiB.join(", ")} MiB; ` +
      `after each round ${server.afterRoundMiB.join(", ")} MiB; peak ${server.peakMiB} MiB; ` +
      `${server.notesPerClient} notes a client in round 1 (median); V8 heap live after a full ` +
      `collection after each round: ${server.liveHeapMiB.join(", ")} MiB`,
  );
  for (
    const check of [
      results.check("server RSS after round 10 / after round 1", server.leakRatio, {
        atMost: MEMORY_TARGETS.leakRatio,
      }),
      results.check(`server RSS with ${clients} SSE clients, MiB`, steady, {
        atMost: MEMORY_TARGETS.serverConnectedMiB,
      }),
      results.check(
        "server live heap, after round 10 / after round 1",
        server.liveHeapMiB[9] / server.liveHeapMiB[0],
      ),
    ]
  ) console.log(`  ${describeCheck(check)}`);
}
