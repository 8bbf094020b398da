/**
 * The consumers the web server runs as Workers (and `deno task
 * consumer:<name>` runs as processes). Each entry names its module and the
 * principal it connects as; its name is also its data folder.
 */
import type { ConsumerEntry } from "../shared/consumer_workers.ts";
import { doctorConsumer, doctorConsumerName } from "./doctor.ts";

/** Variables that decide which consumers run and under which names. */
export const CONSUMER_REGISTRY_ENV = ["DOCTOR_NAME"] as const;

/** Every consumer of Freshet, named from `env` (e.g. `DOCTOR_NAME`). */
export function consumerEntries(env: Record<string, string | undefined>): ConsumerEntry[] {
  return [
    {
      name: doctorConsumerName(env.DOCTOR_NAME || "house"),
      task: "doctor",
      principal: "doctor",
      url: new URL("./doctor.ts", import.meta.url),
      module: doctorConsumer,
    },
  ];
}
