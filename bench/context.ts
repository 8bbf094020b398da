/** What every benchmark section gets: the run's clients, names, scratch folder and results. */
import type { Kafka } from "kafkajs";
import type { KafkaConfig } from "../shared/kafka/config.ts";
import type { CpuProfile } from "./cpu_profile.ts";
import type { Results } from "./results.ts";

/** The run a section belongs to. */
export interface BenchContext {
  /** Admin-principal client (the bench's random topics have no ACLs). */
  kafka: Kafka;
  config: KafkaConfig;
  /** Prefix of every topic the run creates (deleted at the end). */
  prefix: string;
  /** Scratch folder, removed at the end. */
  tmpDir: string;
  results: Results;
  /** Folder of the Kafka jars (ConsumerPerformance). */
  libs: string;
  javaHome?: string;
  /** Whether to take V8 CPU profiles. */
  profile: boolean;
  /** Writes a profile to data/bench/ and its summary into the results. */
  keepProfile(profile: CpuProfile, name: string): Promise<void>;
}

/** Whole numbers with thousands separators. */
export const fmt = (n: number): string => Math.round(n).toLocaleString("en");
