/**
 * The access matrix, generated from the mounted route table (a route added
 * tomorrow is in it the day it is added): every route × every method it
 * answers (and one it does not) × anonymous, viewer, operator × every
 * spelling of its path, in both login modes, sent over a real socket with
 * the path as is. Part one mounts the real declarations with probe
 * handlers, so "reached" is seen, not guessed; part two sends every
 * refusal to the real app, handlers and all; part three opens the live
 * tail and search streams. Prints the matrix's size.
 */
import assert from "node:assert/strict";
import { createApp, loadAppRoutes } from "../main.ts";
import type { RouteEntry } from "../shared/web/route_files.ts";
import {
  concretePath,
  EVERYONE,
  expectedOutcome,
  methodsToTry,
  type Outcome,
  pathVariants,
  probeTable,
  takenByAnotherRoute,
  type Who,
} from "./access_matrix.ts";
import { basic, testAuth } from "./auth_helpers.ts";
import { consoleReader } from "./console_helpers.ts";
import { adminKafka, createTopics, produce, randomName, waitFor } from "./helpers.ts";
import { rawRequest, type RawResponse } from "./raw_http.ts";
import { testApp } from "./test_app.ts";
import { fakeProbe } from "./web_helpers.ts";

// The mounted table: the route files and the services' aliases.
const table = await loadAppRoutes();
const PATTERNS = table.routes.map((r) => r.pattern);
const MODES = ["console", "required"] as const;
type Mode = typeof MODES[number];

/** Console paths: whatever a route declares there, it is never open to anonymous users. */
const CONSOLE_PREFIXES = ["/console", "/api/topics", "/api/acls", "/api/audit", "/api/dlq"];

function headersOf(who: Who, method: string): Record<string, string> {
  const headers: Record<string, string> = who === "anonymous"
    ? {}
    : Object.fromEntries(Object.entries(basic(who) as Record<string, string>));
  if (!["GET", "HEAD"].includes(method)) headers["content-type"] = "application/json";
  return headers;
}

function send(port: number, method: string, path: string, who: Who): Promise<RawResponse> {
  return rawRequest(port, method, path, {
    headers: headersOf(who, method),
    body: ["GET", "HEAD"].includes(method) ? undefined : "{}",
  });
}

/** Checks one answer against its expected outcome; returns a problem or undefined. */
function problemOf(
  response: RawResponse,
  expected: Outcome,
  entry: RouteEntry,
  canonical: string,
): string | undefined {
  const want = (status: number) =>
    response.status === status ? undefined : `got ${response.status}, want ${status}`;
  switch (expected.kind) {
    case "reached": {
      if (response.status !== 200) return `got ${response.status}, want the route reached`;
      if (response.body === "") return undefined; // HEAD
      const reached = JSON.parse(response.body).reached;
      return reached === entry.pattern ? undefined : `reached ${reached}, want ${entry.pattern}`;
    }
    case "login":
      if (expected.status === 303) {
        const location = response.headers.get("location");
        const wanted = `/login?next=${encodeURIComponent(canonical)}`;
        if (response.status !== 303) return `got ${response.status}, want 303 to the login`;
        return location === wanted ? undefined : `Location ${location}, want ${wanted}`;
      }
      return want(401);
    case "forbidden":
      return want(403);
    case "not-allowed":
      return want(405);
    case "not-found":
      return want(404);
  }
}

/** Runs `jobs` with at most `width` at once. */
async function inParallel<T>(jobs: (() => Promise<T>)[], width: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  }));
  return results;
}

interface MatrixCase {
  entry: RouteEntry;
  method: string;
  who: Who;
  variant: string;
  path: string;
  canonical: string;
  expected: Outcome;
}

/** Every case of the matrix for `mode`. */
function matrixCases(mode: Mode): MatrixCase[] {
  const cases: MatrixCase[] = [];
  for (const entry of table.routes) {
    const canonical = concretePath(entry.pattern);
    const { answered, other } = methodsToTry(entry.module);
    for (const who of EVERYONE) {
      for (const method of answered) {
        const expected = expectedOutcome(entry, method, who, mode, canonical);
        cases.push({
          entry,
          method,
          who,
          variant: "canonical",
          path: canonical,
          canonical,
          expected,
        });
        for (const variant of pathVariants(entry.pattern, canonical)) {
          if (
            variant.expect === "not-found" &&
            takenByAnotherRoute(PATTERNS, entry.pattern, variant.path)
          ) continue;
          cases.push({
            entry,
            method,
            who,
            variant: variant.name,
            path: variant.path,
            // A `;x` the route takes into its last parameter is part of the path sent back to.
            canonical: variant.name === "; suffix" ? variant.path : canonical,
            expected: variant.expect === "same" ? expected : { kind: "not-found" },
          });
        }
      }
      if (other) {
        cases.push({
          entry,
          method: other,
          who,
          variant: "canonical",
          path: canonical,
          canonical,
          expected: { kind: "not-allowed" },
        });
      }
    }
  }
  return cases;
}

async function runCases(port: number, cases: MatrixCase[]): Promise<string[]> {
  const outcomes = await inParallel(
    cases.map((c) => async () => {
      const response = await send(port, c.method, c.path, c.who);
      const problem = problemOf(response, c.expected, c.entry, c.canonical);
      return problem
        ? `${c.entry.pattern} ${c.method} as ${c.who}, ${c.variant} (${c.path}): ${problem}`
        : undefined;
    }),
    8,
  );
  return outcomes.filter((p): p is string => p !== undefined);
}

Deno.test("access matrix - every route declares access, the console never open", async (t) => {
  assert.ok(table.routes.length >= 60, `only ${table.routes.length} routes found`);
  for (const entry of table.routes) {
    if (!CONSOLE_PREFIXES.some((p) => entry.pattern === p || entry.pattern.startsWith(`${p}/`))) {
      continue;
    }
    await t.step(`${entry.pattern} needs a login for every method, in every mode`, () => {
      for (const method of methodsToTry(entry.module).answered) {
        for (const mode of MODES) {
          const outcome = expectedOutcome(entry, method, "anonymous", mode, entry.pattern);
          assert.equal(outcome.kind, "login", `${method} in ${mode} mode: ${outcome.kind}`);
        }
      }
    });
  }
});

for (const mode of MODES) {
  Deno.test(`access matrix - routes × methods × users × spellings (FRESHET_AUTH=${mode}, probe handlers)`, async () => {
    const server = await testApp({
      routeTable: probeTable(table),
      auth: testAuth({ mode }),
      listen: true,
    });
    try {
      const cases = matrixCases(mode);
      const problems = await runCases(server.port, cases);
      const variants = new Set(cases.map((c) => c.variant)).size;
      console.log(
        `access matrix (${mode}): ${table.routes.length} routes × methods × ${EVERYONE.length} users × ` +
          `${variants} spellings = ${cases.length} requests, ${
            cases.length - problems.length
          } as expected`,
      );
      assert.deepEqual(problems.slice(0, 40), [], `${problems.length} of ${cases.length} wrong`);
    } finally {
      await server.close();
    }
  });
}

Deno.test("access matrix - every refusal, sent to the real app with its real handlers", async () => {
  let total = 0;
  for (const mode of MODES) {
    const server = await testApp({ auth: testAuth({ mode }), listen: true });
    try {
      // Refusals, 404s and 405s never run a handler: safe to send to the real app.
      const cases = matrixCases(mode).filter((c) => c.expected.kind !== "reached");
      total += cases.length;
      const problems = await runCases(server.port, cases);
      assert.deepEqual(problems.slice(0, 40), [], `${problems.length} of ${cases.length} wrong`);
    } finally {
      await server.close();
    }
  }
  console.log(`access matrix (real app): ${total} refusals, 404s and 405s as expected`);
});

Deno.test("access matrix - the tail and search streams, under every spelling", async (t) => {
  const kafka = adminKafka();
  const topic = randomName("access-stream");
  const dropTopic = await createTopics(kafka, [{ topic }]);
  await produce(kafka, topic, [{ key: "k", value: "v" }]);
  const messages = consoleReader();
  const server = await testApp({
    auth: testAuth(),
    messages,
    heartbeatMs: 100, // a closed connection is noticed at the next write
    listen: true,
  });
  try {
    for (const stream of ["tail", "search"]) {
      const pattern = `/api/topics/:topic/messages/${stream}`;
      const canonical = `/api/topics/${topic}/messages/${stream}`;
      const query = stream === "search" ? "?value=v" : "";
      const spellings = [
        { name: "canonical", path: canonical, expect: "same" as const },
        ...pathVariants(pattern, canonical),
      ];
      for (const who of EVERYONE) {
        await t.step(`${stream} as ${who}: ${spellings.length} spellings`, async () => {
          for (const spelling of spellings) {
            const response = await rawRequest(server.port, "GET", `${spelling.path}${query}`, {
              headers: headersOf(who, "GET"),
              headersOnly: true,
            });
            const what = `${spelling.name} (${spelling.path})`;
            if (spelling.expect === "not-found") {
              assert.equal(response.status, 404, what);
            } else if (who === "anonymous") {
              assert.equal(response.status, 401, what);
            } else {
              assert.equal(response.status, 200, what);
              assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/, what);
              assert.match(response.headers.get("cache-control") ?? "", /no-store/, what);
            }
            assert.doesNotMatch(
              response.headers.get("content-type") ?? "",
              who === "anonymous" ? /event-stream/ : /^$/,
            );
            // The stream's slot is released once the server notices the client went away.
            await waitFor("the stream's slot released", () => messages.active().length === 0);
          }
        });
      }
    }
  } finally {
    await server.close();
    await messages.close();
    await dropTopic();
  }
});

Deno.test("access matrix - static files and the islands' scripts stay open, even when logins are required", async () => {
  const server = await testApp({ auth: testAuth({ mode: "required" }), listen: true });
  try {
    const page = await rawRequest(server.port, "GET", "/", { headers: headersOf("viewer", "GET") });
    assert.equal(page.status, 200);
    const script = /<script type="module" src="(\/_islands\/[^"]+)"/.exec(page.body)?.[1];
    assert.ok(script, "the home page loads its islands");
    for (const path of ["/styles.css", "/favicon.svg", script]) {
      const response = await rawRequest(server.port, "GET", path, {});
      assert.equal(response.status, 200, path);
    }
    const home = await rawRequest(server.port, "GET", "/", {});
    assert.equal(home.status, 303, "while the page itself needs a login");
  } finally {
    await server.close();
  }
});

Deno.test("access matrix - a route that declares nothing stops the app at start, named", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "freshet-undeclared-" });
  const write = (file: string, text: string) =>
    Deno.mkdir(`${root}/routes/api`, { recursive: true }).then(() =>
      Deno.writeTextFile(`${root}/routes/${file}`, text)
    );
  try {
    const cases: [string, string, RegExp][] = [
      [
        "api/undeclared.ts",
        "export const handler = { GET: () => new Response('x') };",
        /routes\/api\/undeclared\.ts: declares no access/,
      ],
      [
        "api/half.ts",
        "export const access = { GET: 'viewer' };\n" +
        "export const handler = { GET: () => new Response('x'), POST: () => new Response('y') };",
        /routes\/api\/half\.ts: access\.POST is missing/,
      ],
      [
        "api/typo.ts",
        "export const access = { GET: 'viewers' };\nexport const handler = { GET: () => new Response('x') };",
        /routes\/api\/typo\.ts: access\.GET: "viewers" is not one of public, open, viewer, operator/,
      ],
    ];
    for (const [file, text, message] of cases) {
      await t.step(file, async () => {
        await Deno.remove(`${root}/routes`, { recursive: true }).catch(() => {});
        await write(file, text);
        await assert.rejects(
          () => createApp({ root: new URL(`file://${root}/`), env: {}, brokerProbe: fakeProbe() }),
          message,
        );
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
