/**
 * What a service is, for the kernel: one module per service
 * (`services/<name>/mod.ts`) says what it brings — its Kafka principals,
 * the variables that name its instances, its consumers, its programs (CLIs),
 * the topics it owns, its consumer groups, and what it adds to the web app
 * — and the root list
 * (freshet.ts) names every service once. Everything else derives from that
 * list (registry.ts): the consumer Workers, the launcher's programs and
 * grants, the principals, the web app's parts, tables, error shapes,
 * navigation and route aliases. The kernel knows no service by name.
 */
import type { ConsumerEntry } from "../consumer/workers.ts";
import type { Migration } from "../sqlite/sqlite.ts";
import type { ErrorShape } from "../web/error_response.ts";
import type { GroupOwner } from "../web/group_owner.ts";
import type { NavItem } from "../web/nav.ts";
import type { RouteAlias } from "../web/route_aliases.ts";
import type { WebPart } from "../web/services.ts";
import type { Program } from "./program.ts";
import type { TopicContract } from "./topic_contract.ts";

/** An environment as the registry reads it. */
export type Env = Record<string, string | undefined>;

/** What a service adds to the web app. */
export interface ServiceWeb {
  /** Variables the web server reads for it (besides its consumers'). */
  env?: readonly string[];
  /** What it adds to `ctx.services`, read with `ctx.services.part(x)`; built at app creation. */
  parts?: readonly WebPart<unknown, never>[];
  /** Tables it keeps in a database it does not own, by database name (e.g. the web's `console`). */
  migrations?: Readonly<Record<string, readonly Migration[]>>;
  /** Path prefixes whose errors are JSON, besides the kernel's `/api/` (e.g. `/v1/`). */
  jsonPaths?: readonly string[];
  /** Paths whose errors it answers in its own shape. */
  errorShapes?: readonly ErrorShape[];
  /** Its pages, in the header and on the home page. */
  nav?: readonly NavItem[];
  /** Other paths its routes answer at (the seeds' spellings), each the same as its canonical route. */
  aliases?: readonly RouteAlias[];
}

/** One service of Freshet. */
export interface ServiceModule {
  /** Its name: its folder under `services/`, e.g. `demands`. */
  name: string;
  /** What it is for, in one line. */
  description: string;
  /** Kafka principals it logs in as (kafka-acls.txt says what each may do). */
  principals?: readonly string[];
  /** Variables naming its instances (`DOCTOR_NAME`): the launcher reads them to name folders. */
  instanceEnv?: readonly string[];
  /** Its consumers, named from the environment; a name that is no folder name fails naming the variable. */
  consumers?(env: Env): ConsumerEntry[];
  /** Programs the launcher runs for it (`deno task <name>`): its CLIs. */
  programs?: readonly Program[];
  /** The topics it owns, with their contracts (docs/contracts.md). */
  topics?: readonly TopicContract[];
  /** Its consumers' groups, and how each replays. */
  groups?: readonly GroupOwner[];
  /** What it adds to the web app. */
  web?: ServiceWeb;
}

const NAME = /^[a-z][a-z0-9_]*$/;

/** `service`, checked: a name that can name its folder. */
export function defineService<S extends ServiceModule>(service: S): S {
  if (!NAME.test(service.name)) {
    throw new Error(
      `service name ${JSON.stringify(service.name)}: expected lowercase letters, digits and _`,
    );
  }
  return service;
}
