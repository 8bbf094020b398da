/** Where a test run "ran": the machine and versions the results and summary tests share. */
import type { MachineInfo, VersionInfo } from "./run_info.ts";

/** A 2-core machine at load `load`. */
export function fixtureMachine(load = 1): MachineInfo {
  return {
    os: "linux",
    osRelease: "6",
    arch: "x86_64",
    cores: 2,
    memoryGiB: 24,
    loadAverage: [load, 1, 1],
  };
}

/** The versions of a run at `commit`. */
export function fixtureVersions(commit = "abc"): VersionInfo {
  return {
    deno: "2.9.6",
    v8: "",
    typescript: "",
    kafkajs: "2.2.4",
    kafka: "4.3.1",
    java: "",
    sqlite: "",
    commit,
  };
}
