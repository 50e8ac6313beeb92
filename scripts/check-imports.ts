/**
 * `npm run check:imports`: the layering rules of ARCHITECTURE.md, checked.
 * - lib/ never imports app/ or components/;
 * - no two lib/ folders import each other, directly or around a loop;
 * - the files directly in lib/ (config, errors, caller, …) import no lib/ folder.
 * Prints the folder graph with --graph. Part of `npm run lint`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "..");
const lib = path.join(root, "lib");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) && !full.includes(`${path.sep}test${path.sep}`) ? [full] : [];
  });
}

/** "lib/keys" for a file in a lib/ folder, "lib" for a file directly in lib/. */
function unitOf(file: string): string {
  const rel = path.relative(root, file).split(path.sep);
  return rel.length > 2 ? `${rel[0]}/${rel[1]}` : rel[0]!;
}

/** What an import names: the file itself, with its extension, or a folder's index. */
function resolveFile(target: string): string {
  for (const candidate of [target, `${target}.ts`, `${target}.tsx`, path.join(target, "index.ts")]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  return `${target}.ts`;
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+["']([^"']+)["']|^\s*import\s+["']([^"']+)["']/gm;

const problems: string[] = [];
const graph = new Map<string, Map<string, string>>();
for (const file of files(lib)) {
  const from = unitOf(file);
  const text = readFileSync(file, "utf8");
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2]!;
    let target: string | undefined;
    if (spec.startsWith("@/")) target = path.join(root, spec.slice(2));
    else if (spec.startsWith(".")) target = path.resolve(path.dirname(file), spec);
    if (!target) continue;
    const rel = path.relative(root, target);
    if (rel.startsWith("app") || rel.startsWith("components")) problems.push(`${path.relative(root, file)} imports ${spec}: lib/ never imports app/ or components/.`);
    if (!rel.startsWith("lib")) continue;
    const to = unitOf(resolveFile(target));
    if (to === from) continue;
    if (from === "lib" && to !== "lib") problems.push(`${path.relative(root, file)} imports ${spec}: files directly in lib/ import no lib/ folder.`);
    if (!graph.has(from)) graph.set(from, new Map());
    if (!graph.get(from)!.has(to)) graph.get(from)!.set(to, path.relative(root, file));
  }
}

// Folder cycles: depth-first search with the path kept, each cycle reported once.
const seen = new Set<string>();
const reported = new Set<string>();
function visit(unit: string, trail: string[]): void {
  const at = trail.indexOf(unit);
  if (at >= 0) {
    const loop = trail.slice(at);
    const key = [...loop].sort().join(" ");
    if (!reported.has(key)) {
      reported.add(key);
      const steps = loop.map((u, i) => `${u} → ${loop[(i + 1) % loop.length]} (${graph.get(u)!.get(loop[(i + 1) % loop.length]!)})`);
      problems.push(`folder loop: ${steps.join(", ")}`);
    }
    return;
  }
  if (seen.has(unit)) return;
  for (const next of graph.get(unit)?.keys() ?? []) visit(next, [...trail, unit]);
  if (trail.length === 0 || !trail.includes(unit)) seen.add(unit);
}
for (const unit of graph.keys()) visit(unit, []);

if (process.argv.includes("--graph")) {
  for (const [from, tos] of [...graph].sort()) console.log(`${from} → ${[...tos.keys()].sort().join(", ")}`);
}
if (problems.length) {
  console.error(problems.join("\n"));
  process.exit(1);
}
console.log(`imports: ${graph.size} lib/ units, no loops, nothing in lib/ imports app/ or components/.`);
