/**
 * The analysis phase's entry point for the subcommands: compiles every unit in memory and
 * reports what it found, with stable codes, lines and hints, and the references between
 * units as edges. It writes nothing, and the generator's boot path does not call it.
 */
import { compileInBatches, compileUnit, indexAll, type Compiled, type CompileOptions, type IndexedUnits } from "../generator/index.js";
import { fileOf, type UnitFile } from "../parser/unitfile.js";
import type { Analysis, AnalyzedUnit } from "./analysis.js";
import { codeOfError, diagnosticText } from "./convert-errors.js";
import { collectEdges } from "./edges.js";
import type { Diagnostic } from "./diagnostic.js";
import { diag } from "./section.js";
import { UNIT_TYPES } from "../generator/registry.js";

export type { Analysis, AnalyzedUnit, Edge, EdgeKind, ExplainedService, Provenance } from "./analysis.js";
export type { Diagnostic, Severity } from "./diagnostic.js";
export { formatDiagnostic, hasErrors } from "./diagnostic.js";
export { CODES, type Code, type CodeInfo } from "./codes.js";
export { explainUnit } from "./explain.js";

/** `FILE:LINE: message` at the start of a warning the parser or a converter wrote as text. */
const LEADING_WHERE = /^(\/[^:]*|[^/:][^:]*):(\d+): /;

/** `… (file:line)` or `…:line` at the end of an error sentence. */
const WHERE_SUFFIX = /(?: \(([^()]*):(\d+)\)|:(\d+))$/;

/**
 * A required key is missing from the section: the diagnostic points at the section's
 * header, where the key belongs, when the unit has that section.
 */
function atSectionHeader(unit: UnitFile, d: Diagnostic): Diagnostic {
  const type = UNIT_TYPES.get(unit.extension);
  const header = type ? unit.group(type.group)?.origin : undefined;
  if (d.code !== "QL0301" || d.line !== undefined || !header) return d;
  return { ...d, file: header.file, line: header.line };
}

/** A converter's warning sentence as a diagnostic: its code recognised from podman's wording. */
function warningDiagnostic(unit: UnitFile, text: string): Diagnostic {
  const file = unit.path || unit.filename;
  const m = LEADING_WHERE.exec(text);
  if (m) return diag("QL0206", m[1]!, Number(m[2]), undefined, text.slice(m[0].length));
  const shortName = /specifies the image "([^"]*)" which not a fully qualified/.exec(text);
  const type = UNIT_TYPES.get(unit.extension);
  if (shortName && type) {
    const line = unit.lookupLine(type.group, "Image");
    return diag("QL0601", line?.origin?.file ?? file, line?.origin?.line, "Image", `the image "${shortName[1]}" is not a fully qualified name`, "name the registry, e.g. docker.io/library/NAME");
  }
  const service = /^using key (\w+) in the Service group/.exec(text);
  if (service) {
    const line = unit.lookupLine("Service", service[1]!);
    return diag("QL0303", line?.origin?.file ?? file, line?.origin?.line, service[1], text);
  }
  return diag("QL0002", file, undefined, undefined, text);
}

/** The drop-in files whose lines are in `unit`, in the order they were applied. */
export function dropinsOf(unit: UnitFile): string[] {
  const seen = new Set<string>();
  // Nearly every line is the unit file's own: compared first, without touching the set.
  const own = unit.path;
  const add = (file: string | undefined): void => {
    if (file !== undefined && file !== own) seen.add(file);
  };
  for (const g of unit.groups) {
    for (const l of g.comments) add(fileOf(l));
    for (const l of g.lines) add(fileOf(l));
    add(g.origin?.file);
  }
  return [...seen];
}

/** Every diagnostic of one result: the section pass's, the converter's, the parser's, and unresolved edges. */
function diagnosticsOf(result: Compiled, edgeDiagnostics: readonly Diagnostic[]): Diagnostic[] {
  const unit = result.source;
  const own = result.diagnostics ?? [];
  // Most units have nothing to say: no sets, copies or sorting for them.
  if (result.ok && own.length === 0 && edgeDiagnostics.length === 0 && unit.warnings.length === 0 && result.service.warnings.length === 0) return [];
  const out = own.slice();
  const ownTexts = new Set(own.map((d) => diagnosticText(undefined, d)));
  const warnings = result.ok ? result.service.warnings : result.warnings;
  for (const w of new Set([...unit.warnings, ...warnings])) if (!ownTexts.has(w)) out.push(warningDiagnostic(unit, w));
  if (!result.ok && own.every((d) => d.severity !== "error")) {
    // Errors found before the section pass (names): only their text is known.
    for (const e of result.errors) {
      let message = e.replace(/^converting "[^"]*": /, "");
      let file = unit.path || unit.filename;
      let line: number | undefined;
      const m = WHERE_SUFFIX.exec(message);
      if (m) {
        message = message.slice(0, m.index);
        if (m[1] !== undefined) file = m[1];
        line = Number(m[2] ?? m[3]);
      }
      out.push(diag(codeOfError(message), file, line, undefined, message));
    }
  }
  for (const d of edgeDiagnostics) {
    // The edge's diagnostic has the line; the converter's word for the same reference goes.
    const dup = out.findIndex((o) => o.code === "QL0401" && (o.line === undefined || o.line === d.line));
    if (dup !== -1) out.splice(dup, 1);
    out.push(d);
  }
  for (let i = 0; i < out.length; i++) out[i] = atSectionHeader(unit, out[i]!);
  return out.sort((a, b) => (a.file === b.file ? (a.line ?? 0) - (b.line ?? 0) : a.file < b.file ? -1 : 1));
}

/**
 * Compiles `units` in memory; every unit gets a status, its diagnostics and its edges. With
 * `focus`, only the units of `focus` are compiled and reported, and those that make the same
 * service as one of them (which one is written depends on which compile); every unit still
 * counts for references and edges.
 */
export function analyze(units: readonly UnitFile[], opts: CompileOptions, focus?: ReadonlySet<UnitFile>, indexed: IndexedUnits = indexAll(units)): Analysis {
  const { edges, diagnostics: edgeDiagnostics } = collectEdges(units);
  const out: AnalyzedUnit[] = [];
  const results = focus ? focusedResults(units, opts, focus, indexed) : allResults(units, opts, indexed);
  for (const result of results) out.push(analyzedUnit(result, edgeDiagnostics.get(result.source) ?? []));
  return { units: claimedTwice(out), edges, diagnostics: [] };
}

/**
 * Unit by unit, as the generator does: each generated service is dropped once its
 * diagnostics are taken, so a thousand services never sit in memory at once.
 */
function* allResults(units: readonly UnitFile[], opts: CompileOptions, indexed: IndexedUnits): Generator<Compiled> {
  for (const batch of compileInBatches(units, opts, indexed).batches) yield* batch;
}

/** The results of the units in `focus` and of those making the same service, in unit order. */
function* focusedResults(units: readonly UnitFile[], opts: CompileOptions, focus: ReadonlySet<UnitFile>, indexed: IndexedUnits): Generator<Compiled> {
  const { index, problems } = indexed;
  const services = new Set<string>();
  for (const unit of focus) {
    const info = index.get(unit.filename);
    if (info?.unit === unit) services.add(info.serviceName);
  }
  for (const unit of units) {
    const info = index.get(unit.filename);
    if (!focus.has(unit) && !(info?.unit === unit && services.has(info.serviceName))) continue;
    const errors = problems.get(unit);
    if (errors) yield { ok: false, source: unit, errors, warnings: [] };
    else if (info) yield compileUnit(info, index, opts);
  }
}

function analyzedUnit(result: Compiled, edgeDiagnostics: readonly Diagnostic[]): AnalyzedUnit {
  const unit = result.source;
  return {
    name: unit.filename,
    path: unit.path,
    dropins: dropinsOf(unit),
    ...(result.ok ? { serviceFile: result.service.unit.filename } : {}),
    status: result.ok ? "ok" : "error",
    diagnostics: diagnosticsOf(result, edgeDiagnostics),
  };
}

/** A QL0502 warning on every unit whose service a later unit of the list makes too. */
function claimedTwice(units: AnalyzedUnit[]): AnalyzedUnit[] {
  const last = new Map<string, AnalyzedUnit>();
  for (const u of units) if (u.serviceFile) last.set(u.serviceFile, u);
  return units.map((u) => {
    const winner = u.serviceFile ? last.get(u.serviceFile) : undefined;
    if (!winner || winner === u) return u;
    const d = diag("QL0502", u.path || u.name, undefined, undefined, `${winner.name} makes ${u.serviceFile} too, and is read later: this unit is not written`, "give one of them another ServiceName=");
    return { ...u, diagnostics: [...u.diagnostics, d] };
  });
}
