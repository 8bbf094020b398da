/**
 * The documents that list what the root list declares stay in step with
 * it: README's and docs/architecture.md's route alias tables.
 */
import assert from "node:assert/strict";
import { SERVICES } from "../freshet.ts";
import type { ServiceModule } from "../shared/service/define_service.ts";
import { aliasesOf } from "../shared/service/registry.ts";

const root = new URL("..", import.meta.url);

/** The rows of the markdown table whose header starts with `| alias`. */
async function aliasRows(file: string): Promise<string[][]> {
  const text = await Deno.readTextFile(new URL(file, root));
  const start = text.indexOf("| alias ");
  assert.ok(start >= 0, `${file} has a route alias table`);
  return text.slice(start).split("\n").slice(2)
    .filter((line, i, lines) =>
      line.startsWith("|") && lines.slice(0, i).every((l) => l.startsWith("|"))
    )
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim().replaceAll("`", "")));
}

Deno.test("docs - the route alias tables list the services' aliases, and only those", async () => {
  const services: readonly ServiceModule[] = SERVICES;
  const declared = services.flatMap((service) =>
    (service.web?.aliases ?? []).map((
      a,
    ) => [a.path, a.canonical, `services/${service.name}/mod.ts`])
  );
  assert.equal(declared.length, aliasesOf(SERVICES).length);
  for (const file of ["README.md", "docs/architecture.md"]) {
    assert.deepEqual((await aliasRows(file)).toSorted(), declared.toSorted(), file);
  }
});
