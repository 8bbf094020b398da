/**
 * The project's import graph, as Deno resolves it (`deno info --json` over
 * every module: static, type-only and literal dynamic imports, the import
 * map applied), and the layering rules it must keep:
 *
 * - the kernel (`shared/`) imports nothing of the project outside `shared/`;
 * - a service (`services/<name>/`) imports the kernel, its own folder, and
 *   another service only through that service's public surface, its `mod.ts`;
 * - no import cycle anywhere, type-only imports included.
 *
 *   deno task graph        # prints the summary; exit 1 when a rule is broken
 */

/** One import: `from` imports `to` (paths relative to the project folder). */
export interface ImportEdge {
  from: string;
  to: string;
  /** Only its types are imported (`import type`, or a dependency Deno resolves for types only). */
  typeOnly: boolean;
}

/** The graph of the project's own modules. */
export interface ImportGraph {
  files: string[];
  edges: ImportEdge[];
}

const SOURCE = /\.(ts|tsx)$/;
const SKIPPED = new Set(["node_modules", ".cache", "data", ".git", "_islands"]);

async function* walk(dir: string, prefix = ""): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".") && entry.name !== "." || SKIPPED.has(entry.name)) continue;
    const path = `${prefix}${entry.name}`;
    if (entry.isDirectory) yield* walk(`${dir}/${entry.name}`, `${path}/`);
    else if (entry.isFile && SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) yield path;
  }
}

interface InfoDependency {
  code?: { specifier?: string };
  type?: { specifier?: string };
}

/** The import graph of the modules under `root` (absolute path of the project folder). */
export async function importGraph(root: string): Promise<ImportGraph> {
  const files = (await Array.fromAsync(walk(root))).sort();
  const tmp = await Deno.makeTempDir({ prefix: "freshet-graph-" });
  try {
    const entry = `${tmp}/all.ts`;
    const base = new URL(`file://${root}/`);
    await Deno.writeTextFile(
      entry,
      files.map((f) => `import ${JSON.stringify(new URL(f, base).href)};\n`).join(""),
    );
    const output = await new Deno.Command("deno", {
      args: ["info", "--json", "--config", `${root}/deno.json`, entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!output.success) {
      throw new Error(
        `deno info failed: ${new TextDecoder().decode(output.stderr).slice(0, 2000)}`,
      );
    }
    const info = JSON.parse(new TextDecoder().decode(output.stdout)) as {
      modules: { specifier: string; dependencies?: InfoDependency[] }[];
    };
    const own = (specifier: string | undefined) =>
      specifier?.startsWith(base.href)
        ? decodeURIComponent(specifier.slice(base.href.length))
        : undefined;
    const edges: ImportEdge[] = [];
    for (const module of info.modules) {
      const from = own(module.specifier);
      if (from === undefined) continue;
      for (const dependency of module.dependencies ?? []) {
        const code = own(dependency.code?.specifier);
        const to = code ?? own(dependency.type?.specifier);
        if (to !== undefined && to !== from) edges.push({ from, to, typeOnly: code === undefined });
      }
    }
    return { files, edges };
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/** The layer of a path: `shared`, `services/<name>`, or its top folder or file. */
export function layerOf(path: string): string {
  const [top, name] = path.split("/");
  return top === "services" && name !== undefined && path.includes("/", "services/".length)
    ? `services/${name}`
    : top;
}

/** Why `edge` breaks a layering rule, if it does. */
export function layerProblem(edge: ImportEdge): string | undefined {
  const from = layerOf(edge.from);
  const to = layerOf(edge.to);
  if (from === "shared" && to !== "shared") {
    return `${edge.from} → ${edge.to}: the kernel imports nothing above it`;
  }
  if (from.startsWith("services/")) {
    if (to === "shared" || to === from) return undefined;
    if (to.startsWith("services/")) {
      return edge.to === `${to}/mod.ts`
        ? undefined
        : `${edge.from} → ${edge.to}: another service only through its mod.ts`;
    }
    return `${edge.from} → ${edge.to}: a service imports only the kernel and services`;
  }
  return undefined;
}

/** Every import cycle (strongly connected components of more than one module, or a self-import). */
export function importCycles(graph: ImportGraph): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to } of graph.edges) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;
  // Iterative Tarjan: the graph has hundreds of modules, deep chains included.
  for (const startNode of next.keys()) {
    if (index.has(startNode)) continue;
    const work: { node: string; i: number }[] = [{ node: startNode, i: 0 }];
    index.set(startNode, counter);
    low.set(startNode, counter++);
    stack.push(startNode);
    onStack.add(startNode);
    while (work.length > 0) {
      const top = work[work.length - 1];
      const targets = next.get(top.node) ?? [];
      if (top.i < targets.length) {
        const target = targets[top.i++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, i: 0 });
        } else if (onStack.has(target)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== top.node);
        const selfImport = targets.includes(top.node);
        if (component.length > 1 || selfImport) cycles.push(component.sort());
      }
    }
  }
  return cycles;
}

/** What is wrong with the graph: broken layering rules, then cycles. */
export function graphProblems(graph: ImportGraph): string[] {
  const layering = graph.edges.map(layerProblem).filter((p): p is string => p !== undefined);
  const cycles = importCycles(graph).map((c) => `import cycle: ${c.join(" → ")}`);
  return [...new Set(layering), ...cycles];
}

/** The graph in a few lines: modules and imports, then imports between layers. */
export function graphSummary(graph: ImportGraph): string {
  const group = (path: string) => {
    const layer = layerOf(path);
    return layer.startsWith("services/")
      ? "services"
      : layer.includes(".")
      ? "(root files)"
      : layer;
  };
  const between = new Map<string, number>();
  for (const edge of graph.edges) {
    const key = `${group(edge.from)} → ${group(edge.to)}`;
    between.set(key, (between.get(key) ?? 0) + 1);
  }
  const typeOnly = graph.edges.filter((e) => e.typeOnly).length;
  const lines = [
    `${graph.files.length} modules, ${graph.edges.length} imports (${typeOnly} type-only)`,
    ...[...between].sort(([a], [b]) => a.localeCompare(b)).map(([key, n]) => `  ${key}: ${n}`),
  ];
  return lines.join("\n");
}

if (import.meta.main) {
  const root = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
  const graph = await importGraph(root);
  console.log(graphSummary(graph));
  const problems = graphProblems(graph);
  console.log(problems.length === 0 ? "no upward import, no cycle" : problems.join("\n"));
  if (problems.length > 0) Deno.exit(1);
}
