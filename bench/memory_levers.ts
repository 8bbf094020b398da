/**
 * `deno run -P=bench bench/memory_levers.ts [--backlog N] [--levers a,b,…]`:
 * the doctor's memory (memory_bench.ts, its own process, a warm-up and ten
 * rounds) over one loaded backlog with each set of native-memory levers in
 * turn, so they compare on the same work: glibc's arena cap, SQLite's cache
 * and memory map, KafkaJS's fetch size, V8's young generation. Each run is a new group over the
 * same topic; the topic is deleted at the end. The figures go to a results
 * file like the bench's (section `memory-levers`), and a table is printed.
 */
import { parseArgs } from "node:util";
import { ROOT } from "../kafka/ensure.ts";
import { runMain } from "../shared/core/config.ts";
import { setLogLevel } from "../shared/core/log.ts";
import { createKafka, withAdmin } from "../shared/kafka/client.ts";
import { loadKafkaConfig } from "../shared/kafka/config.ts";
import { prepareDemands } from "./doctor_bench.ts";
import { type DoctorLevers, doctorMemory } from "./memory_bench.ts";
import { Results, resultsPath } from "./results.ts";
import { machineInfo, versionInfo } from "./run_info.ts";

/** The sets of levers by name. */
export const LEVER_SETS: Record<string, DoctorLevers> = {
  /** As deployed: KafkaJS's 1-MiB fetches, 8-MiB semi-spaces (tasks/v8_flags.ts). */
  none: {},
  /** Before the semi-space cap: V8's own young generation. */
  v8default: { v8Default: true },
  arena2: { mallocArenaMax: 2 },
  cache512k: { sqliteCacheKiB: 512 },
  mmap64m: { sqliteMmapBytes: 64 * 2 ** 20 },
  fetch512k: { maxBytesPerPartition: 512 * 1024 },
  fetch256k: { maxBytesPerPartition: 256 * 1024 },
  semi2m: { maxSemiSpaceMiB: 2 },
  semi4m: { maxSemiSpaceMiB: 4 },
  semi4mfetch256k: { maxSemiSpaceMiB: 4, maxBytesPerPartition: 256 * 1024 },
  inflight1: { applierInFlight: 1 },
  forsize: { v8Flags: ["--optimize-for-size"] },
};

if (import.meta.main) {
  await runMain(async () => {
    const { values } = parseArgs({
      args: Deno.args,
      options: {
        backlog: { type: "string", default: "1000000" },
        levers: { type: "string", default: Object.keys(LEVER_SETS).join(",") },
      },
    });
    const backlog = Number(values.backlog);
    const names = values.levers.split(",");
    const unknown = names.find((n) => !Object.hasOwn(LEVER_SETS, n));
    if (!Number.isInteger(backlog) || backlog < 1_100 || unknown !== undefined) {
      console.error(
        `--backlog: an integer ≥ 1100; --levers: some of ${Object.keys(LEVER_SETS).join(",")}`,
      );
      Deno.exit(2);
    }
    setLogLevel("warn");
    const startedAt = new Date().toISOString();
    const machine = machineInfo();
    const results = new Results({
      startedAt,
      args: Deno.args,
      options: { sections: ["memory-levers"], memoryBacklog: backlog, levers: names },
      machine,
      versions: await versionInfo({ root: ROOT }),
    });
    const path = resultsPath(`${ROOT}/bench/results`, startedAt);
    console.log(`load ${machine.loadAverage.join(" ")}; results: ${path}`);
    const kafka = createKafka(loadKafkaConfig("admin"), { clientSuffix: "bench-levers" });
    const prefix = `bench-${crypto.randomUUID().slice(0, 8)}.levers.`;
    const tmpDir = await Deno.makeTempDir({ prefix: "freshet-levers-" });
    try {
      await results.section("memory-levers", path, async () => {
        await prepareDemands(kafka, prefix, backlog);
        for (const [i, set] of names.entries()) {
          // A set run again (to bracket the others on a busy machine) is kept as `name.2`, ….
          const repeat = names.slice(0, i).filter((n) => n === set).length;
          const name = repeat === 0 ? set : `${set}.${repeat + 1}`;
          const levers = LEVER_SETS[set];
          const run = await doctorMemory({ prefix, backlog, dataDir: tmpDir, levers });
          results.data.notes[`levers.${name}`] = run;
          results.figure(`levers.${name}.peak`, run.peakMiB, "MiB", `doctor, ${name}: peak RSS`);
          results.figure(`levers.${name}.steady`, run.steadyMiB, "MiB", `doctor, ${name}: median`);
          results.figure(`levers.${name}.perSec`, run.perSec, "msgs/s", `doctor, ${name}`);
          results.check(`levers ${name}: RSS round 10 / round 1`, run.leakRatio, { atMost: 1.1 });
          console.log(
            `${name.padEnd(16)} peak ${run.peakMiB} MiB, steady ${run.steadyMiB} MiB, ` +
              `round 10 / 1 ${run.leakRatio.toFixed(3)}, ${run.perSec} demands/s; after the ` +
              `warm-up ${run.warmupMiB} MiB, each round ${run.roundsMiB.join(", ")} MiB; live ` +
              `heap ${run.liveHeapMiB.join(", ")} MiB`,
          );
          await results.save(path);
          await Deno.remove(tmpDir, { recursive: true });
          await Deno.mkdir(tmpDir);
        }
      });
      await results.finish(path);
      const failed = results.failedSections()[0];
      if (failed) throw new Error(failed.error);
    } finally {
      await withAdmin(kafka, async (admin) => {
        const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
        await admin.deleteTopics({ topics });
      }).catch(() => {});
      await Deno.remove(tmpDir, { recursive: true }).catch(() => {});
    }
  });
}
