/**
 * `quadlet graph [-user] [--format text|dot|json] [PATH…]`: the units and the references
 * between them, each with where it is written, and the problems between units (cycles,
 * missing units, one service or podman name made twice, template references).
 */
import type { Edge } from "../analysis/analysis.js";
import { startCommand } from "../analysis/args.js";
import type { Diagnostic } from "../analysis/diagnostic.js";
import { edgeOrigin, graphProblems, type GraphUnit } from "../analysis/graph.js";
import { inspectFor, type Inspection } from "../analysis/inspect.js";
import { countOf, indent, diagnosticJson, diagnosticText, displayPath, SCHEMA_VERSION, summaryText } from "../analysis/report.js";
import type { Subcommand } from "./context.js";

const USAGE = "usage: quadlet graph [-user] [--format text|dot|json] [PATH...]\n";

export const run: Subcommand = (args, ctx) => {
  const parsed = startCommand(args, { name: "graph", usage: USAGE, formats: ["text", "dot", "json"] }, ctx);
  if (typeof parsed === "number") return parsed;
  const found = inspectFor("graph", parsed, parsed.positional, ctx);
  if (typeof found === "number") return found;
  const problems = graphProblems(found.graphUnits, found.edges);
  const text = parsed.format === "dot" ? dotText(found.graphUnits, found.edges) : parsed.format === "json" ? JSON.stringify(graphJson(found, problems), null, 2) + "\n" : plainText(found, problems, ctx.cwd);
  ctx.stdout(text);
  return problems.some((d) => d.severity === "error") ? 1 : 0;
};

function plainText(found: Inspection, problems: readonly Diagnostic[], cwd: string): string {
  const out: string[] = ["Units:\n"];
  const width = Math.max(0, ...found.graphUnits.map((u) => u.name.length));
  for (const u of found.graphUnits) out.push(`  ${u.name.padEnd(width)}  ${u.serviceFile ?? "(no service)"}${u.ok ? "" : "  (fails to compile)"}\n`);
  out.push("Edges:\n");
  if (found.edges.length === 0) out.push("  (none)\n");
  for (const e of found.edges) {
    out.push(`  ${e.from} -> ${e.to}  ${e.key}= at ${displayPath(e.file, cwd)}:${e.line}${e.resolved ? "" : "  (not found)"}\n`);
  }
  if (problems.length) {
    out.push("Problems:\n");
    for (const d of problems) out.push(indent(diagnosticText(d, cwd)));
  }
  const c = countOf(found.graphUnits.length, problems);
  out.push(`${found.edges.length} edge${found.edges.length === 1 ? "" : "s"}, ${summaryText(c)}`);
  return out.join("");
}

/** A name quoted for Graphviz. */
function dotId(s: string): string {
  return JSON.stringify(s);
}

/** Graphviz: one node per unit, a dashed red one for each unit referred to that does not exist. */
function dotText(units: readonly GraphUnit[], edges: readonly Edge[]): string {
  const out = ["digraph quadlet {\n", "  rankdir=LR;\n", "  node [shape=box];\n"];
  const known = new Set(units.map((u) => u.name));
  for (const u of units) out.push(`  ${dotId(u.name)} [label=${dotId(`${u.name}\n${u.serviceFile ?? ""}`)}${u.ok ? "" : ", color=red"}];\n`);
  const missing = new Set(edges.filter((e) => !known.has(e.to)).map((e) => e.to));
  for (const m of missing) out.push(`  ${dotId(m)} [style=dashed, color=red];\n`);
  for (const e of edges) out.push(`  ${dotId(e.from)} -> ${dotId(e.to)} [label=${dotId(`${e.key}= ${edgeOrigin(e).slice(e.file.lastIndexOf("/") + 1)}`)}];\n`);
  out.push("}\n");
  return out.join("");
}

/** The JSON document: see quadlet-graph(1), JSON OUTPUT, for its schema. */
export function graphJson(found: Inspection, problems: readonly Diagnostic[]): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    units: found.graphUnits.map((u) => ({ file: u.name, path: u.path, service: u.serviceFile ?? null, status: u.ok ? "ok" : "error" })),
    edges: found.edges.map((e) => ({ from: e.from, to: e.to, kind: e.kind, key: e.key, file: e.file, line: e.line, resolved: e.resolved })),
    diagnostics: problems.map(diagnosticJson),
    summary: { ...countOf(found.graphUnits.length, problems), edges: found.edges.length },
  };
}
