/**
 * The analysis phase's entry point for the subcommands: compiles every unit in memory and
 * reports what it found, writing nothing.
 *
 * This first version adapts the generator's results (error sentences) to diagnostics; the
 * analysis phase proper replaces it with diagnostics that carry codes, keys and hints.
 */
import { compileAll, type CompileOptions } from "../generator/index.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { Analysis, AnalyzedUnit } from "./analysis.js";
import type { Diagnostic } from "./diagnostic.js";

export type { Analysis, AnalyzedUnit, Edge, EdgeKind, Provenance } from "./analysis.js";
export type { Diagnostic, Severity } from "./diagnostic.js";
export { formatDiagnostic, hasErrors } from "./diagnostic.js";

/** `converting "x.container": message (file:line)` or `…message:line`, as the generator words it. */
const WHERE_SUFFIX = /(?: \(([^()]*):(\d+)\)|:(\d+))$/;

function diagnosticOf(unit: UnitFile, severity: "error" | "warning", text: string): Diagnostic {
  let message = text.replace(/^converting "[^"]*": /, "");
  let file = unit.path || unit.filename;
  let line: number | undefined;
  const m = WHERE_SUFFIX.exec(message);
  if (m) {
    message = message.slice(0, m.index);
    if (m[1] !== undefined) file = m[1];
    line = Number(m[2] ?? m[3]);
  }
  return { code: severity === "error" ? "QL0001" : "QL0002", severity, file, ...(line !== undefined ? { line } : {}), message };
}

/** Compiles `units` in memory; every unit gets a status and its diagnostics. */
export function analyze(units: readonly UnitFile[], opts: CompileOptions): Analysis {
  const out: AnalyzedUnit[] = [];
  for (const result of compileAll(units, opts)) {
    const unit = result.source;
    const diagnostics: Diagnostic[] = [];
    const errors = result.ok ? [] : result.errors;
    const warnings = result.ok ? result.service.warnings : result.warnings;
    for (const e of errors) diagnostics.push(diagnosticOf(unit, "error", e));
    for (const w of warnings) diagnostics.push(diagnosticOf(unit, "warning", w));
    for (const w of unit.warnings) diagnostics.push(diagnosticOf(unit, "warning", w));
    out.push({
      name: unit.filename,
      path: unit.path,
      dropins: [],
      ...(result.ok ? { serviceFile: result.service.unit.filename } : {}),
      status: result.ok ? "ok" : "error",
      diagnostics,
    });
  }
  return { units: out, edges: [], diagnostics: [] };
}
