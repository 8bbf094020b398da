/**
 * Which doctor this web server is: `DOCTOR_NAME` (default `house`), read
 * once. The demand routes show that doctor's database (`doctor-<name>`,
 * the same name as its consumer, group and data folder) and assume
 * demands in its name.
 */
import { z } from "zod";
import { parseEnv, readEnv } from "../../shared/core/config.ts";

/** Variables this module reads. */
export const DOCTOR_CONFIG_ENV = ["DOCTOR_NAME"] as const;

/** The doctor's name, as services/demands/consumer.ts accepts it. */
export const doctorNameSchema = z.string().regex(
  /^[a-z0-9][a-z0-9-]{0,40}$/,
  "expected lowercase letters, digits and dashes",
);

const envSchema = z.object({ DOCTOR_NAME: doctorNameSchema.default("house") });

/** This server's doctor. */
export interface DoctorConfig {
  /** e.g. `house` */
  name: string;
  /** `doctor-<name>`: the consumer, its group prefix and its data folder / database. */
  consumerName: string;
}

/** The doctor of `env` (exported for tests; routes use `doctorConfig()`). */
export function loadDoctorConfig(env: Record<string, string | undefined>): DoctorConfig {
  const { DOCTOR_NAME } = parseEnv(envSchema, env);
  return { name: DOCTOR_NAME, consumerName: `doctor-${DOCTOR_NAME}` };
}

let cached: DoctorConfig | undefined;

/** The doctor of this process's environment, read on first use. */
export function doctorConfig(): DoctorConfig {
  cached ??= loadDoctorConfig(readEnv(DOCTOR_CONFIG_ENV));
  return cached;
}
