/** Random demands for the producer CLI's `--count N`: plausible values around Rio de Janeiro. */
import { type Demand, KNOWN_PRIORITIES } from "./demand.ts";

/** Types the random demands use. */
export const SAMPLE_TYPES = ["emergency", "consultation", "home-visit", "transfer", "lab-review"];

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)];
const near = (center: number) => Math.round((center + (Math.random() - 0.5) * 0.4) * 1e5) / 1e5;

/** One random demand with a new UUID. */
export function sampleDemand(): Demand {
  return {
    id: crypto.randomUUID(),
    type: pick(SAMPLE_TYPES),
    location: { lat: near(-22.9), lng: near(-43.2) },
    metadata: { priority: pick(KNOWN_PRIORITIES) },
  };
}
