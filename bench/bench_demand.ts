/** The benchmarks' demand: about 1 KB of JSON, as OnDutyNow would send it. */

/** The `i`-th demand of a benchmark, as JSON text (~1 KB). */
export function benchDemand(i: number): string {
  return JSON.stringify({
    id: `bench-${i}`,
    type: ["emergency", "consultation", "transfer"][i % 3],
    location: { lat: -22.9 + (i % 100) / 1000, lng: -43.2 - (i % 100) / 1000 },
    metadata: { priority: ["low", "medium", "high", "critical"][i % 4], notes: "x".repeat(880) },
  });
}
