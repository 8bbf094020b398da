/**
 * The browser code of the islands, built in process with `Deno.bundle`
 * (esbuild) when the app is created: the hydration runtime and one module
 * per island, with Preact split into a shared chunk. The files stay in
 * memory and are served under `/_islands/<buildId>/`; the build id is a
 * hash of the contents, so they can be cached forever.
 */
import { encodeHex } from "../core/hex.ts";
import type { IslandFile } from "./island_files.ts";

/** URL prefix of the bundle files. */
export const ISLANDS_PREFIX = "/_islands";

/** A built bundle. */
export interface IslandBundle {
  buildId: string;
  /** Path below `/_islands/<buildId>/` → file contents. */
  files: Map<string, Uint8Array>;
  /** URL of the hydration runtime. */
  bootUrl: string;
  /** Island name → URL of its module. */
  islandUrls: Map<string, string>;
}

const BOOT = decodeURIComponent(new URL("./client/boot.ts", import.meta.url).pathname);
const builds = new Map<string, Promise<IslandBundle>>();

function commonDir(paths: string[]): string {
  const split = paths.map((p) => p.split("/").slice(0, -1));
  const first = split[0];
  let n = 0;
  while (n < first.length && split.every((s) => s[n] === first[n])) n++;
  return first.slice(0, n).join("/");
}

async function buildIdOf(fileHashes: string[]): Promise<string> {
  const text = new TextEncoder().encode(fileHashes.sort().join("\n"));
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  return encodeHex(digest.slice(0, 6));
}

async function build(islands: IslandFile[], minify: boolean): Promise<IslandBundle> {
  const entrypoints = [BOOT, ...islands.map((i) => i.path)];
  const base = commonDir(entrypoints);
  const outputDir = `${base}/.islands-build`;
  const result = await Deno.bundle({
    entrypoints,
    outputDir,
    write: false,
    format: "esm",
    platform: "browser",
    codeSplitting: true,
    minify,
  });
  if (!result.success) {
    const messages = result.errors.map((e) =>
      e.location ? `${e.location.file}:${e.location.line}: ${e.text}` : e.text
    );
    throw new Error(`could not bundle the islands:\n  ${messages.join("\n  ")}`);
  }
  const files = new Map<string, Uint8Array>();
  const hashes: string[] = [];
  for (const file of result.outputFiles ?? []) {
    const path = file.path.slice(outputDir.length + 1);
    files.set(path, file.contents ?? new TextEncoder().encode(file.text()));
    hashes.push(`${path}:${file.hash}`);
  }
  const buildId = await buildIdOf(hashes);
  const urlOf = (entry: string) => {
    const path = entry.slice(base.length + 1).replace(/\.(tsx|ts|jsx|js)$/, ".js");
    if (!files.has(path)) throw new Error(`the bundle has no output for ${entry}`);
    return `${ISLANDS_PREFIX}/${buildId}/${path}`;
  };
  return {
    buildId,
    files,
    bootUrl: urlOf(BOOT),
    islandUrls: new Map(islands.map((i) => [i.name, urlOf(i.path)])),
  };
}

/**
 * Bundles the islands (none: no bundle). The same set of files is built
 * once per process, so tests creating many apps pay for it once.
 */
export function bundleIslands(
  islands: IslandFile[],
  options: { minify?: boolean } = {},
): Promise<IslandBundle | undefined> {
  if (islands.length === 0) return Promise.resolve(undefined);
  const minify = options.minify ?? true;
  const key = JSON.stringify([minify, islands.map((i) => i.path)]);
  let pending = builds.get(key);
  if (!pending) {
    pending = build(islands, minify);
    builds.set(key, pending);
    pending.catch(() => builds.delete(key));
  }
  return pending;
}

/** Serves a bundle file, cacheable forever (the build id changes with the contents). */
export function islandAsset(
  bundle: IslandBundle | undefined,
  buildId: string,
  path: string,
): Response | undefined {
  const contents = bundle?.buildId === buildId ? bundle.files.get(path) : undefined;
  if (!contents) return undefined;
  return new Response(contents as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
    },
  });
}
