/**
 * What derives from the local broker's log: every consumer database under
 * the data folder (it stores offsets of that log, and state built from
 * it). `deno task kafka --fresh` wipes the log, so it removes these too;
 * a folder still in use by a running service is left alone and named.
 */
import { DatabaseSync } from "node:sqlite";
import { FolderLockedError, lockFolder } from "../shared/consumer/folder_lock.ts";

/** Whether the database at `path` stores consumer offsets. */
function storesOffsets(path: string): boolean {
  let db: DatabaseSync | undefined;
  try {
    db = new DatabaseSync(path, { readOnly: true });
    return db.prepare(
      "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consumer_offsets'",
    ).get() !== undefined;
  } catch {
    return false;
  } finally {
    db?.close();
  }
}

/** The sub-folders of `dataDir` holding a consumer database. */
export function consumerFolders(dataDir: string): string[] {
  const folders: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = [...Deno.readDirSync(dataDir)];
  } catch {
    return folders;
  }
  for (const entry of entries) {
    if (!entry.isDirectory || entry.name.startsWith("kafka")) continue;
    const dir = `${dataDir}/${entry.name}`;
    const databases = [...Deno.readDirSync(dir)].filter((f) => f.isFile && f.name.endsWith(".db"));
    if (databases.some((f) => storesOffsets(`${dir}/${f.name}`))) folders.push(dir);
  }
  return folders.sort();
}

/** What `removeDerivedData` did. */
export interface DerivedDataRemoval {
  removed: string[];
  /** Folders a running process holds, with who holds them. */
  inUse: { folder: string; holder: string }[];
}

/** Removes every consumer folder of `dataDir` not in use by a running process. */
export async function removeDerivedData(dataDir: string): Promise<DerivedDataRemoval> {
  const result: DerivedDataRemoval = { removed: [], inUse: [] };
  for (const folder of consumerFolders(dataDir)) {
    try {
      lockFolder(folder, "deno task kafka --fresh").release();
    } catch (error) {
      if (!(error instanceof FolderLockedError)) throw error;
      result.inUse.push({ folder, holder: error.holder });
      continue;
    }
    await Deno.remove(folder, { recursive: true });
    result.removed.push(folder);
  }
  return result;
}
