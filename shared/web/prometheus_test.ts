import assert from "node:assert/strict";
import { escapeLabelValue, formatMetrics } from "./prometheus.ts";

Deno.test("prometheus - label values escape backslash, quote and newline", () => {
  assert.equal(escapeLabelValue('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
});

Deno.test("prometheus - families have HELP and TYPE before their samples", () => {
  const text = formatMetrics([{
    name: "x_total",
    help: "Things\ncounted.",
    type: "counter",
    samples: [{ labels: { k: 'v"' }, value: 2 }, { value: Infinity }],
  }]);
  assert.equal(
    text,
    '# HELP x_total Things\\ncounted.\n# TYPE x_total counter\nx_total{k="v\\""} 2\nx_total +Inf\n',
  );
});

Deno.test("prometheus - bad metric or label names are refused", () => {
  assert.throws(() => formatMetrics([{ name: "a-b", help: "", type: "gauge", samples: [] }]));
  assert.throws(() =>
    formatMetrics([{
      name: "a",
      help: "",
      type: "gauge",
      samples: [{ labels: { "1": "" }, value: 0 }],
    }])
  );
});
