/**
 * `deno task contracts [--check]`: writes docs/contracts.md from the
 * services' topic contracts (their modules' `topics`: zod schemas, keys,
 * notes), kafka-topics.txt and kafka-acls.txt; with `--check`, exits 1 if
 * the file is out of date instead.
 */
import { renderContracts } from "./contracts_doc.ts";
import { readAclsFile, readTopicsFile } from "../shared/provision/mod.ts";
import { contractsOf } from "../shared/service/registry.ts";
import { PRINCIPALS, SERVICES } from "../freshet.ts";

/** Every topic's contract, from the services' modules. */
export const CONTRACTS = contractsOf(SERVICES);

const root = new URL("..", import.meta.url).pathname;

/** The document as it should be. */
export async function expectedContracts(): Promise<string> {
  const [topics, acls] = await Promise.all([
    readTopicsFile(`${root}kafka-topics.txt`),
    readAclsFile(`${root}kafka-acls.txt`, { principals: PRINCIPALS }),
  ]);
  return renderContracts(CONTRACTS, topics, acls);
}

if (import.meta.main) {
  const path = `${root}docs/contracts.md`;
  const expected = await expectedContracts();
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(path).catch(() => "");
    if (current !== expected) {
      console.error("docs/contracts.md is out of date: run `deno task contracts`");
      Deno.exit(1);
    }
    console.log("docs/contracts.md is up to date");
  } else {
    await Deno.writeTextFile(path, expected);
    console.log(`wrote ${path}`);
  }
}
