/**
 * What a benchmark result must say about where it ran: the machine, the
 * versions of everything measured, and the commit.
 */
import { DatabaseSync } from "node:sqlite";

/** The machine a run used. */
export interface MachineInfo {
  os: string;
  osRelease: string;
  arch: string;
  cores: number;
  memoryGiB: number;
  /** 1, 5 and 15 minute load averages when the run started (other work on the machine). */
  loadAverage: number[];
}

/** Versions of the measured software. */
export interface VersionInfo {
  deno: string;
  v8: string;
  typescript: string;
  kafkajs: string;
  /** Apache Kafka, from the jars of the local broker and of ConsumerPerformance. */
  kafka: string;
  java: string;
  sqlite: string;
  /** `git describe`-like: commit, and whether the work tree had changes. */
  commit: string;
}

async function run(cmd: string, args: string[]): Promise<string> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const dec = new TextDecoder();
    return (dec.decode(out.stdout) + dec.decode(out.stderr)).trim();
  } catch (error) {
    return `unknown (${(error as Error).message})`;
  }
}

/** The machine, as far as the bench's permissions let it see. */
export function machineInfo(): MachineInfo {
  return {
    os: Deno.build.os,
    osRelease: Deno.osRelease(),
    arch: Deno.build.arch,
    cores: navigator.hardwareConcurrency,
    memoryGiB: Math.round(Deno.systemMemoryInfo().total / 2 ** 30),
    loadAverage: Deno.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

/** Versions: Deno's, the import map's KafkaJS, the Kafka jars', java's, SQLite's, git's commit. */
export async function versionInfo(
  options: { root: string; kafkaLibs?: string; javaHome?: string },
): Promise<VersionInfo> {
  const denoJson = JSON.parse(await Deno.readTextFile(`${options.root}/deno.json`));
  let kafka = "unknown";
  if (options.kafkaLibs) {
    for await (const entry of Deno.readDir(options.kafkaLibs)) {
      const m = entry.name.match(/^kafka_[\d.]+-([\d.]+)\.jar$/);
      if (m) kafka = m[1];
    }
  }
  const java = await run(options.javaHome ? `${options.javaHome}/bin/java` : "java", ["-version"]);
  const db = new DatabaseSync(":memory:");
  const sqlite = String(db.prepare("SELECT sqlite_version() AS v").get()!.v);
  db.close();
  const commit = await run("git", ["-C", options.root, "rev-parse", "--short=12", "HEAD"]);
  const dirty = (await run("git", ["-C", options.root, "status", "--porcelain", "--", "."]))
    .split("\n").some((line) => line.trim() !== "" && !line.includes("bench/results/"));
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    typescript: Deno.version.typescript,
    kafkajs: String(denoJson.imports?.kafkajs ?? "unknown").replace(/^npm:kafkajs@/, ""),
    kafka,
    java: java.split("\n")[0],
    sqlite,
    commit: dirty ? `${commit} (with uncommitted changes)` : commit,
  };
}
