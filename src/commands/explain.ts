/**
 * `quadlet explain [-user] [--format text|json] [-podman-version X.Y[.Z]] NAME`: the service a unit makes, each line
 * and each podman word with where it came from (a file and line, or quadlet's default), the
 * files merged into it in order, and those shadowed or skipped, with the reason.
 * NAME is a unit file name (`web.container`), a service name (`web.service`) or a path.
 */
import type { AnalyzedUnit, ExplainedService, Provenance } from "../analysis/analysis.js";
import { ArgsError, startCommand } from "../analysis/args.js";
import { inspectFor, type Inspection } from "../analysis/inspect.js";
import { diagnosticJson, diagnosticText, displayPath, indent, SCHEMA_VERSION, unitJson } from "../analysis/report.js";
import { explainUnit } from "../analysis/index.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { CommandContext, Subcommand } from "./context.js";

const USAGE = "usage: quadlet explain [-user] [--format text|json] [-podman-version X.Y[.Z]] NAME\n  NAME: a unit file name (web.container), a service name (web.service), or a path\n";

export const run: Subcommand = (args, ctx) => {
  const parsed = startCommand(args, { name: "explain", usage: USAGE, formats: ["text", "json"], podmanVersion: true, check: oneName }, ctx);
  if (typeof parsed === "number") return parsed;
  const name = parsed.positional[0]!;
  // A name with a slash, or a file of that name here, is a path; else the search paths are searched.
  const byPath = name.includes("/") || isFile(ctx, name);
  // Only the unit explained is compiled (a service name needs them all to tell which makes it).
  const focus = byPath ? () => true : name.endsWith(".service") ? undefined : (u: UnitFile) => u.filename === name;
  const found = inspectFor("explain", parsed, byPath ? [name] : [], ctx, focus);
  if (typeof found === "number") return found;
  const unit = byPath ? found.units[0] : unitNamed(found, name);
  if (!unit) {
    for (const d of found.problems) ctx.stderr(diagnosticText(d, ctx.cwd));
    ctx.stderr(`quadlet explain: no unit ${name}${byPath ? "" : " in the search paths"}\n`);
    return 1;
  }
  const explained = explainOne(found, unit);
  if (parsed.format === "json") ctx.stdout(JSON.stringify(explainJson(explained), null, 2) + "\n");
  else ctx.stdout(explainText(explained, ctx));
  return unit.status === "ok" ? 0 : 1;
};

function oneName(positional: readonly string[]): void {
  if (positional.length !== 1) throw new ArgsError("give one NAME");
}

function isFile(ctx: CommandContext, name: string): boolean {
  if (name.endsWith(".service")) return false;
  try {
    ctx.fs.readFile(`${ctx.cwd}/${name}`);
    return true;
  } catch {
    return false;
  }
}

/** `web.container`, or the unit that makes `web.service` (the last in search order that compiles, as the generator writes it). */
function unitNamed(found: Inspection, name: string): AnalyzedUnit | undefined {
  if (!name.endsWith(".service")) return found.units.find((u) => u.name === name);
  const makers = found.units.filter((u) => u.serviceFile === name);
  return [...makers].reverse().find((u) => u.status === "ok") ?? makers[makers.length - 1];
}

function explainOne(found: Inspection, unit: AnalyzedUnit): ExplainedService {
  const source = found.sources.get(unit.path)!;
  const report = found.report(unit.path)!;
  const traced = explainUnit(source.set.units, unit.name, found.options, unit) ?? { unit, lines: [], commands: [], merged: [], shadowed: [], skipped: [] };
  return { ...traced, unit, merged: report.merged, shadowed: report.shadowed, skipped: report.skipped };
}

/** `web.container:4`, or the default's name without the word it names (`default for containers`). */
function originText(from: Provenance, cwd: string, shown: string): string {
  if (from.kind === "line") return `${displayPath(from.file, cwd)}:${from.line}`;
  return from.name.startsWith(`${shown}: `) ? from.name.slice(shown.length + 2) : from.name;
}

/** The service, each line followed by where it came from; podman commands word by word. */
export function explainText(e: ExplainedService, ctx: Pick<CommandContext, "cwd">): string {
  const cwd = ctx.cwd;
  const out: string[] = [`${e.unit.name} makes ${e.unit.serviceFile ?? "no service"}${e.unit.status === "ok" ? "" : " (it fails to compile)"}\n`];
  out.push("\nFiles merged, in order:\n");
  e.merged.forEach((f, i) => out.push(`  ${i + 1}. ${displayPath(f, cwd)}\n`));
  for (const [title, list] of [["Shadowed", e.shadowed], ["Skipped", e.skipped]] as const) {
    if (!list.length) continue;
    out.push(`\n${title}:\n`);
    for (const s of list) out.push(`  ${displayPath(s.path, cwd)}: ${s.reason}\n`);
  }
  if (e.unit.diagnostics.length) {
    out.push("\nDiagnostics:\n");
    for (const d of e.unit.diagnostics) out.push(indent(diagnosticText(d, cwd)));
  }
  let group = "";
  const commands = [...e.commands];
  for (const l of e.lines) {
    if (l.group !== group) {
      out.push(`\n[${l.group}]\n`);
      group = l.group;
    }
    const command = commands[0]?.key === l.key && l.group === "Service" ? commands.shift() : undefined;
    if (!command) {
      const shown = `${l.key}=${l.value}`;
      out.push(`${shown.padEnd(48)}  # ${originText(l.from, cwd, shown)}\n`);
      continue;
    }
    out.push(`${l.key}=, word by word:\n`);
    for (const w of command.words) out.push(`    ${w.word.padEnd(44)}  # ${originText(w.from, cwd, w.word)}\n`);
  }
  return out.join("");
}

function provenanceJson(p: Provenance): Record<string, unknown> {
  return p.kind === "line" ? { kind: "line", file: p.file, line: p.line, key: p.key ?? null } : { kind: "default", name: p.name };
}

/** The JSON document: see quadlet-explain(1), JSON OUTPUT, for its schema. */
export function explainJson(e: ExplainedService): Record<string, unknown> {
  return {
    schemaVersion: SCHEMA_VERSION,
    unit: unitJson(e.unit),
    merged: e.merged,
    shadowed: e.shadowed,
    skipped: e.skipped,
    text: e.text ?? null,
    lines: e.lines.map((l) => ({ group: l.group, key: l.key, value: l.value, from: provenanceJson(l.from) })),
    commands: e.commands.map((c) => ({ key: c.key, words: c.words.map((w) => ({ word: w.word, from: provenanceJson(w.from) })) })),
    diagnostics: e.unit.diagnostics.map(diagnosticJson),
  };
}
