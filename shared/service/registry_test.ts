import assert from "node:assert/strict";
import type { ConsumerEntry } from "../consumer/workers.ts";
import { defineService, type ServiceModule } from "./define_service.ts";
import { producerProgram } from "./program.ts";
import {
  aliasesOf,
  checkServices,
  consumerEntriesOf,
  errorShapesOf,
  instanceEnvOf,
  jsonPathsOf,
  navOf,
  principalsOf,
  programsOf,
  webEnvOf,
  webMigrationsOf,
  webPartsOf,
} from "./registry.ts";

function entry(name: string, task = name): ConsumerEntry {
  return {
    name,
    task,
    principal: "alpha",
    url: new URL(`file:///srv/services/${task}/consumer.ts`),
    module: { env: ["ALPHA_LIMIT"] },
  };
}

const alpha = defineService({
  name: "alpha",
  description: "first",
  principals: ["alpha"],
  instanceEnv: ["ALPHA_NAME"],
  consumers: (env) => [entry(`alpha-${env.ALPHA_NAME ?? "one"}`, "alpha")],
  programs: [
    producerProgram({
      name: "produce:alpha",
      entry: new URL("file:///srv/services/alpha/cli/produce.ts"),
      principal: "web",
      env: ["ALPHA_RATE"],
    }),
  ],
  web: {
    env: ["ALPHA_WEB"],
    jsonPaths: ["/v1/"],
    nav: [{ href: "/alpha", label: "Alpha", description: "a" }],
    aliases: [{ path: "/a/:id", canonical: "/api/alpha/:id" }],
    migrations: { console: [{ version: 100, name: "alpha's", up: "SELECT 1" }] },
    parts: [{ name: "alpha", create: () => ({}) }],
    errorShapes: [{ pathPrefix: "/alpha-rest/", respond: () => new Response() }],
  },
});
const beta = defineService({
  name: "beta",
  description: "second",
  principals: ["beta", "alpha", "web"],
  web: { migrations: { console: [{ version: 101, name: "beta's", up: "SELECT 1" }] } },
});

Deno.test("registry - what the app and the launcher derive from the list", async (t) => {
  const services = checkServices([alpha, beta]);
  await t.step("principals: the kernel's first, then the services', once each", () => {
    assert.deepEqual(principalsOf(services), ["admin", "web", "alpha", "beta"]);
  });
  await t.step("consumers named from the environment, and their programs with the CLIs", () => {
    assert.deepEqual(consumerEntriesOf(services, { ALPHA_NAME: "two" }).map((e) => e.name), [
      "alpha-two",
    ]);
    assert.deepEqual(programsOf(services, {}).map((p) => [p.name, p.entry.pathname]), [
      ["consumer:alpha", "/srv/services/alpha/consumer.ts"],
      ["produce:alpha", "/srv/services/alpha/cli/produce.ts"],
    ]);
    assert.deepEqual(instanceEnvOf(services), ["ALPHA_NAME"]);
  });
  await t.step("the web server's variables: instances, web parts, every consumer's", () => {
    const env = webEnvOf(services);
    for (
      const name of ["ALPHA_NAME", "ALPHA_WEB", "ALPHA_LIMIT", "KAFKA_ALPHA_PASSWORD", "DATA_DIR"]
    ) {
      assert.ok(env.includes(name), name);
    }
    assert.ok(!env.includes("ALPHA_RATE"), "a CLI's variables are its own");
  });
  await t.step("the web app's parts, tables, JSON paths, shapes, pages and aliases", () => {
    assert.deepEqual(webPartsOf(services).map((p) => p.name), ["alpha"]);
    assert.deepEqual(webMigrationsOf(services).console.map((m) => m.version), [100, 101]);
    assert.deepEqual(jsonPathsOf(services), ["/api/", "/v1/"]);
    assert.deepEqual(errorShapesOf(services).map((s) => s.pathPrefix), ["/alpha-rest/"]);
    assert.deepEqual(navOf(services).map((n) => n.href), ["/alpha"]);
    assert.deepEqual(aliasesOf(services), [{ path: "/a/:id", canonical: "/api/alpha/:id" }]);
  });
});

Deno.test("registry - what the list could get wrong is refused, named", async (t) => {
  const cases: [string, () => unknown, RegExp][] = [
    ["a service twice", () => checkServices([alpha, alpha]), /service "alpha" is declared twice/],
    [
      "a name that is no folder",
      () => defineService({ name: "Bad-Name", description: "" }),
      /Bad-Name/,
    ],
    [
      "two consumers of one name",
      () =>
        consumerEntriesOf([alpha, {
          name: "gamma",
          description: "",
          consumers: () => [entry("alpha-one", "g")],
        }], {}),
      /consumer "alpha-one" is declared twice/,
    ],
    [
      "a migration version two services use",
      () => webMigrationsOf([alpha, { name: "gamma", description: "", web: alpha.web }]),
      /database console: migration version "100" is declared twice/,
    ],
    [
      "a program name taken",
      () => programsOf([alpha, { name: "gamma", description: "", programs: alpha.programs }], {}),
      /program "produce:alpha" is declared twice/,
    ],
  ];
  for (const [name, fn, message] of cases) {
    await t.step(name, () => assert.throws(fn, message));
  }
});

Deno.test("registry - a service with nothing but a name adds nothing", () => {
  const bare: ServiceModule = { name: "bare", description: "" };
  assert.deepEqual(principalsOf([bare]), ["admin", "web"]);
  assert.deepEqual(programsOf([bare], {}), []);
  assert.deepEqual(webPartsOf([bare]), []);
  assert.deepEqual(webMigrationsOf([bare]), {});
});
