/** The REST section: the REST-Proxy-compatible endpoint against KafkaJS producing directly. */
import { type BenchContext, fmt } from "./context.ts";
import { describeCheck } from "./results.ts";
import { restProduceBench } from "./rest_produce_bench.ts";

/** Runs the section over `restRecords` records. */
export async function restSection(
  ctx: BenchContext,
  { restRecords }: { restRecords: number },
): Promise<void> {
  const { kafka, prefix, tmpDir, results } = ctx;
  console.log(
    `\nREST produce: ${fmt(restRecords)} demands of ~1 KB, json v2, 100 per request, 16 in flight`,
  );
  const rest = await restProduceBench(kafka, `${prefix}rest.`, {
    records: restRecords,
    recordsPerRequest: 100,
    concurrency: 16,
    dataDir: tmpDir,
    profile: ctx.profile,
  });
  if (rest.profiles) {
    await ctx.keepProfile(rest.profiles.rest, "restProxy");
    await ctx.keepProfile(rest.profiles.kafkajs, "kafkajsProduce");
  }
  if (rest.failedRecords > 0 || rest.recordsOnTopic < rest.requests * 100) {
    throw new Error(
      `REST produce lost records: ${rest.failedRecords} failed, ${rest.recordsOnTopic} on the topic`,
    );
  }
  const direct = results.figure(
    "kafkajsProduce",
    rest.kafkajsRecordsPerSec,
    "records/s",
    "KafkaJS idempotent producer, the same records, 100 per send, 16 sends in flight",
  );
  const viaRest = results.figure(
    "restProxyProduce",
    rest.restRecordsPerSec,
    "records/s",
    "POST /topics/{topic} (json v2), 100 records per request, 16 requests in flight",
  );
  results.figure(
    "kafkajsProduce.cpuUs",
    rest.kafkajsCpuUsPerRecord,
    "CPU µs/record",
    "KafkaJS direct: CPU time of this process per record",
  );
  results.figure(
    "restProxyProduce.cpuUs",
    rest.restCpuUsPerRecord,
    "CPU µs/record",
    "REST proxy: CPU time of this process (server and client threads) per record",
  );
  console.log(
    `  KafkaJS idempotent producer: ${fmt(direct)} records/s (${
      rest.kafkajsCpuUsPerRecord.toFixed(1)
    } CPU µs each)`,
  );
  console.log(
    `  REST proxy endpoint:         ${fmt(viaRest)} records/s (${
      rest.restCpuUsPerRecord.toFixed(1)
    } CPU µs each, server and client)`,
  );
  // Reported, no longer a target (issue 22): the proxy's own HTTP and JSON work is what
  // separates it from KafkaJS on the same 2 cores, and its CPU time a record says it steadily.
  console.log(`  ${describeCheck(results.check("REST proxy / KafkaJS", viaRest / direct))}`);
  const cpu = results.check(
    "REST proxy CPU µs / KafkaJS CPU µs, a record",
    rest.restCpuUsPerRecord / rest.kafkajsCpuUsPerRecord,
  );
  console.log(`  ${describeCheck(cpu)}`);
}
