/**
 * Everything the app and the launcher derive from the list of services
 * (the root's freshet.ts): the kernel takes the list as data and knows no
 * service by name. Each function checks what the list could get wrong
 * (two services, consumers or programs of one name; a table two services
 * declare) and says which.
 */
import { consumerEnvNames } from "../consumer/main.ts";
import { type ConsumerEntry, consumerProcessGrant } from "../consumer/workers.ts";
import type { Migration } from "../sqlite/sqlite.ts";
import type { ErrorShape } from "../web/error_response.ts";
import { KERNEL_JSON_PATHS } from "../web/error_response.ts";
import type { GroupOwner } from "../web/group_owner.ts";
import type { NavItem } from "../web/nav.ts";
import type { RouteAlias } from "../web/route_aliases.ts";
import type { WebPart } from "../web/services.ts";
import type { Env, ServiceModule } from "./define_service.ts";
import { launchTlsFiles, type Program } from "./program.ts";
import { deadLetterContract, type TopicContract } from "./topic_contract.ts";

/** The kernel's own principals: `admin` (provisioning, tests) and `web` (the web server). */
export const KERNEL_PRINCIPALS = ["admin", "web"] as const;

function unique<T>(what: string, items: T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) {
    const k = key(item);
    if (seen.has(k)) throw new Error(`${what} ${JSON.stringify(k)} is declared twice`);
    seen.set(k, item);
  }
  return items;
}

/** The services, checked: no two of one name (their own types kept, for `AppOptionsOf`). */
export function checkServices<const S extends readonly ServiceModule[]>(services: S): S {
  unique("service", [...services], (s) => s.name);
  return services;
}

type PartsOf<S> = S extends { web?: { parts?: readonly (infer P)[] } } ? P : never;
type OptionsOf<P> = P extends WebPart<unknown, infer O> ? O : never;
type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I
  : never;

/**
 * What an app's creator may hand the services' web parts: the intersection
 * of their option types (`WebPart<T, O>`'s `O`), from the list's types.
 */
export type AppOptionsOf<S extends readonly ServiceModule[]> = Intersection<
  OptionsOf<PartsOf<S[number]>>
>;

/** Every Kafka principal: the kernel's, then each service's in list order, once each. */
export function principalsOf(services: readonly ServiceModule[]): string[] {
  return [...new Set([...KERNEL_PRINCIPALS, ...services.flatMap((s) => s.principals ?? [])])];
}

/** Variables naming the services' instances (`DOCTOR_NAME`, `PAYMENTS_INSTANCE`). */
export function instanceEnvOf(services: readonly ServiceModule[]): string[] {
  return [...new Set(services.flatMap((s) => s.instanceEnv ?? []))];
}

/** Every consumer, named from `env`; no two of one name or task. */
export function consumerEntriesOf(services: readonly ServiceModule[], env: Env): ConsumerEntry[] {
  const entries = services.flatMap((s) => s.consumers?.(env) ?? []);
  unique("consumer", entries, (e) => e.name);
  return unique("consumer task", entries, (e) => e.task);
}

/** `deno task consumer:<task>`: a consumer as its own process, with its Worker's grant and the bus. */
export function consumerProgram(entry: ConsumerEntry): Program {
  return {
    name: `consumer:${entry.task}`,
    entry: entry.url,
    principal: entry.principal,
    grant: (ctx) =>
      consumerProcessGrant(entry, {
        dataDir: ctx.dataDir,
        brokers: ctx.brokers,
        tlsFiles: launchTlsFiles(ctx),
      }),
  };
}

/** The services' programs: each consumer's, then their CLIs; no two of one name. */
export function programsOf(services: readonly ServiceModule[], env: Env): Program[] {
  const programs = [
    ...consumerEntriesOf(services, env).map(consumerProgram),
    ...services.flatMap((s) => s.programs ?? []),
  ];
  return unique("program", programs, (p) => p.name);
}

/** Variables the web server reads for the services: their web parts' and their consumers' (Workers). */
export function webEnvOf(services: readonly ServiceModule[]): string[] {
  const names = new Set<string>(instanceEnvOf(services));
  for (const service of services) for (const name of service.web?.env ?? []) names.add(name);
  for (const entry of consumerEntriesOf(services, {})) {
    for (const name of consumerEnvNames(entry.module, entry.principal)) names.add(name);
  }
  return [...names];
}

/** The web parts, in list order; no two of one name. */
export function webPartsOf(services: readonly ServiceModule[]): WebPart<unknown, never>[] {
  const parts = services.flatMap((s) => s.web?.parts ?? []);
  return unique("web part", parts, (p) => p.name);
}

/** Migrations the services add to databases they do not own, by database; a version used twice is refused. */
export function webMigrationsOf(
  services: readonly ServiceModule[],
): Record<string, Migration[]> {
  const out: Record<string, Migration[]> = {};
  for (const service of services) {
    for (const [db, migrations] of Object.entries(service.web?.migrations ?? {})) {
      out[db] = unique(
        `database ${db}: migration version`,
        [...(out[db] ?? []), ...migrations],
        (m) => String(m.version),
      );
    }
  }
  return out;
}

/** Path prefixes whose errors are JSON: the kernel's and the services'. */
export function jsonPathsOf(services: readonly ServiceModule[]): string[] {
  return [...new Set([...KERNEL_JSON_PATHS, ...services.flatMap((s) => s.web?.jsonPaths ?? [])])];
}

/** The services' own error shapes; no two for one path prefix. */
export function errorShapesOf(services: readonly ServiceModule[]): ErrorShape[] {
  const shapes = services.flatMap((s) => s.web?.errorShapes ?? []);
  return unique("error shape for", shapes, (s) => s.pathPrefix);
}

/** The services' pages, in list order. */
export function navOf(services: readonly ServiceModule[]): NavItem[] {
  return unique("page", services.flatMap((s) => s.web?.nav ?? []), (n) => n.href);
}

/** The services' route aliases; no path aliased twice. */
export function aliasesOf(services: readonly ServiceModule[]): RouteAlias[] {
  return unique("route alias", services.flatMap((s) => s.web?.aliases ?? []), (a) => a.path);
}

/** The services' consumer groups and how each replays. */
export function groupOwnersOf(services: readonly ServiceModule[]): GroupOwner[] {
  return services.flatMap((s) => s.groups ?? []);
}

/** Every topic's contract: the services' topics in list order, then their dead-letter topics. */
export function contractsOf(services: readonly ServiceModule[]): TopicContract[] {
  const topics = services.flatMap((s) => s.topics ?? []);
  unique("topic", topics, (t) => t.topic);
  return [
    ...topics,
    ...topics.filter((t) => t.deadLetters).map((t) => deadLetterContract(t.topic)),
  ];
}
