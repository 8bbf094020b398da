/**
 * The export section: a topic of N small records (3 partitions, ~150
 * bytes each) exported whole as NDJSON through the web server, its lines
 * counted — the count must be N — with the time, the rate and the server
 * process's peak resident memory.
 */
import { type BenchContext, fmt } from "./context.ts";
import { exportBench } from "./export_bench.ts";
import { prepareConsoleTopic } from "./console_bench.ts";
import { describeCheck } from "./results.ts";

/** Runs the section over a topic of `messages` records. */
export async function exportSection(
  ctx: BenchContext,
  { messages }: { messages: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  const topic = `${prefix}export`;
  console.log(`\nexport: ${fmt(messages)} records (~150 bytes, 3 partitions) as NDJSON over HTTP`);
  await prepareConsoleTopic(kafka, topic, messages, (i) => ({
    key: `export-${i}`,
    value: `{"n":${i},"type":"bench","at":"2024-05-01T10:00:00Z","note":"an exported record"}`,
  }));
  const r = await exportBench({ topic, dataDir: tmpDir });
  results.figure("exportRecords", r.records, "records", "records counted in the export");
  results.figure("exportRate", r.recordsPerSec, "records/s", "a whole topic exported as NDJSON");
  results.figure("exportSeconds", r.elapsedMs / 1000, "s", "the export's wall time");
  results.figure("exportRssPeak", r.rssPeakMiB, "MiB", "peak RSS of the serving process");
  results.figure("exportRssBefore", r.rssBeforeMiB, "MiB", "RSS just before the export");
  console.log(
    `  ${fmt(r.records)} records, ${fmt(r.bytes / 1024 / 1024)} MiB in ${
      (r.elapsedMs / 1000).toFixed(1)
    } s (${fmt(r.recordsPerSec)} records/s, ${r.requests} response(s)); RSS ${
      fmt(r.rssBeforeMiB)
    } MiB before, ${fmt(r.rssPeakMiB)} MiB at the peak`,
  );
  console.log(`  ${
    describeCheck(results.check("export count / records", r.records / messages, {
      atLeast: 1,
    }))
  }`);
  if (r.records !== messages) throw new Error(`exported ${r.records} of ${messages} records`);
}
