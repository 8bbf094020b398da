/**
 * Finds the islands of an app: every `islands/*.tsx` (or .ts/.jsx/.js)
 * file default-exports one PascalCase component named like the file.
 */
import { registerIsland } from "./islands.ts";

/** One island file. */
export interface IslandFile {
  name: string;
  /** Absolute file path, for the bundler. */
  path: string;
  // deno-lint-ignore no-explicit-any
  component: (props: any) => unknown;
}

const ISLAND_FILE = /^([A-Za-z][A-Za-z0-9]*)\.(tsx|ts|jsx|js)$/;

/** Imports and registers the islands under `dir` (none when it does not exist). */
export async function loadIslands(dir: URL): Promise<IslandFile[]> {
  const files: IslandFile[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return files;
    throw error;
  }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isFile || /(_test|\.test)\./.test(entry.name)) continue;
    const match = entry.name.match(ISLAND_FILE);
    if (!match) continue;
    const name = match[1];
    if (!/^[A-Z]/.test(name)) {
      throw new Error(
        `islands/${entry.name}: island files are PascalCase, e.g. ${
          name[0].toUpperCase() + name.slice(1)
        }.tsx`,
      );
    }
    const url = new URL(entry.name, dir);
    const module = await import(url.href);
    if (typeof module.default !== "function") {
      throw new Error(`islands/${entry.name}: must default-export a component`);
    }
    registerIsland(name, module.default);
    files.push({ name, path: decodeURIComponent(url.pathname), component: module.default });
  }
  return files;
}
