import assert from "node:assert/strict";
import { compactString as str, int16, int32, int64 } from "./wire_bytes_fixture.ts";
import { FlexibleReader, FlexibleWriter } from "./flexible_codec.ts";
import { decodeApiVersions, encodeApiVersions, UNSUPPORTED_VERSION } from "./api_versions.ts";
import { decodeDescribeLogDirs, encodeDescribeLogDirs } from "./describe_log_dirs.ts";
import { decodeDescribeQuorum, encodeDescribeQuorum } from "./describe_quorum.ts";
import { metadataVersionName, releaseOf } from "./metadata_versions.ts";

Deno.test("cluster requests - the flexible encodings Kafka documents, both ways", async (t) => {
  await t.step("varints, compact strings, null arrays and tags round-trip", () => {
    const bytes = new FlexibleWriter().uvarint(300).string("é").string(null).array(null, () => {})
      .int32(-2).tags().bytes();
    const r = new FlexibleReader(bytes);
    assert.equal(r.uvarint(), 300);
    assert.equal(r.nullableString(), "é");
    assert.equal(r.nullableString(), null);
    assert.deepEqual(r.array(() => 0), []);
    assert.equal(r.int32(), -2);
    r.tags();
    assert.equal(r.remaining, 0);
  });
  await t.step("requests: header tags first, then the body", () => {
    assert.deepEqual([...encodeDescribeLogDirs()], [0, 0, 0], "topics null: every topic");
    assert.deepEqual([...encodeApiVersions("a", "1")], [0, 2, 97, 2, 49, 0]);
    const quorum = [...encodeDescribeQuorum()];
    assert.deepEqual(quorum.slice(0, 3), [0, 2, 19], "one topic, __cluster_metadata");
    assert.deepEqual(quorum.slice(-8), [2, 0, 0, 0, 0, 0, 0, 0], "partition 0");
  });
  await t.step("ApiVersions: APIs, supported and finalized features from the tagged fields", () => {
    const supported = [2, ...str("metadata.version"), ...int16(7), ...int16(30), 0];
    const finalized = [2, ...str("metadata.version"), ...int16(30), ...int16(30), 0];
    const payload = new Uint8Array([
      ...int16(0),
      2, // one API
      ...int16(3),
      ...int16(0),
      ...int16(12),
      0,
      ...int32(0),
      3, // three tagged fields
      0,
      supported.length,
      ...supported,
      1,
      8,
      ...int64(42),
      2,
      finalized.length,
      ...finalized,
    ]);
    const answer = decodeApiVersions(payload);
    assert.deepEqual(answer.apis, [{ apiKey: 3, min: 0, max: 12 }]);
    assert.deepEqual(answer.supportedFeatures, [{ name: "metadata.version", min: 7, max: 30 }]);
    assert.equal(answer.finalizedFeaturesEpoch, 42);
    assert.deepEqual(answer.finalizedFeatures, [{ name: "metadata.version", min: 30, max: 30 }]);
    const refused = decodeApiVersions(new Uint8Array([...int16(UNSUPPORTED_VERSION), 0, 0, 0, 0]));
    assert.equal(refused.errorCode, UNSUPPORTED_VERSION);
  });
  await t.step("DescribeLogDirs: a directory, its partitions' sizes, the volume", () => {
    const payload = new Uint8Array([
      0, // header tags
      ...int32(0),
      ...int16(0),
      2, // one directory
      ...int16(0),
      ...str("/data/node-1"),
      2, // one topic
      ...str("orders"),
      3, // two partitions
      ...int32(0),
      ...int64(5_000_000_000),
      ...int64(0),
      0,
      0,
      ...int32(1),
      ...int64(10),
      ...int64(3),
      1,
      0,
      0,
      ...int64(1e12),
      ...int64(4e11),
      0,
      0,
    ]);
    const answer = decodeDescribeLogDirs(payload);
    assert.equal(answer.dirs.length, 1);
    const dir = answer.dirs[0];
    assert.equal(dir.path, "/data/node-1");
    assert.deepEqual(dir.topics[0].partitions, [
      { partition: 0, sizeBytes: 5_000_000_000, offsetLag: 0, isFuture: false },
      { partition: 1, sizeBytes: 10, offsetLag: 3, isFuture: true },
    ]);
    assert.equal(dir.totalBytes, 1e12);
    assert.equal(dir.usableBytes, 4e11);
  });
  await t.step("DescribeQuorum: the leader, voters and observers", () => {
    const replica = (id: number, leo: number) => [
      ...int32(id),
      ...int64(leo),
      ...int64(-1),
      ...int64(1_700_000_000_000),
      0,
    ];
    const payload = new Uint8Array([
      0,
      ...int16(0),
      2,
      ...str("__cluster_metadata"),
      2,
      ...int32(0),
      ...int16(0),
      ...int32(2),
      ...int32(7),
      ...int64(900),
      3,
      ...replica(1, 890),
      ...replica(2, 900),
      1, // no observers
      0,
      0,
      0,
    ]);
    const answer = decodeDescribeQuorum(payload);
    assert.equal(answer.leaderId, 2);
    assert.equal(answer.leaderEpoch, 7);
    assert.equal(answer.highWatermark, 900);
    assert.deepEqual(answer.voters.map((v) => [v.replicaId, v.logEndOffset]), [[1, 890], [2, 900]]);
    assert.deepEqual(answer.observers, []);
  });
  await t.step("metadata.version levels name their release", () => {
    assert.equal(metadataVersionName(30), "4.3-IV0");
    assert.equal(releaseOf(30), "4.3");
    assert.equal(releaseOf(7), "3.3");
    assert.equal(metadataVersionName(99), "level 99");
    assert.equal(releaseOf(99), undefined);
  });
});
