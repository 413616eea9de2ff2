/**
 * Printing what the subcommands found: diagnostics compiler-style, the summary line, and
 * the versioned JSON documents that editors, CI and other tools read.
 */
import { posix } from "node:path";
import type { AnalyzedUnit } from "./analysis.js";
import type { Diagnostic } from "./diagnostic.js";

/** The version of every JSON document the subcommands print; raised when a field changes meaning or goes. */
export const SCHEMA_VERSION = 1;

/** A path as printed: relative to the working directory when below it, else as it is. */
export function displayPath(path: string, cwd: string): string {
  if (path === "" || !path.startsWith("/")) return path;
  const rel = posix.relative(cwd, path);
  return rel !== "" && !rel.startsWith("../") && rel !== ".." ? rel : path;
}

/** `web.container:7: error[QL0102]: message`, then `  hint: …` when there is one. */
export function diagnosticText(d: Diagnostic, cwd: string): string {
  const file = displayPath(d.file, cwd) || "quadlet";
  const where = d.line !== undefined && d.line > 0 ? `${file}:${d.line}` : file;
  const head = `${where}: ${d.severity}[${d.code}]: ${d.message}\n`;
  return d.hint ? `${head}  hint: ${d.hint}\n` : head;
}

export interface Counts {
  units: number;
  errors: number;
  warnings: number;
  notes: number;
}

export function countOf(units: number, diagnostics: readonly Diagnostic[]): Counts {
  const counts: Counts = { units, errors: 0, warnings: 0, notes: 0 };
  for (const d of diagnostics) {
    if (d.severity === "error") counts.errors++;
    else if (d.severity === "warning") counts.warnings++;
    else counts.notes++;
  }
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** `12 units, 2 errors, 3 warnings` (and notes, when there are some). */
export function summaryText(c: Counts): string {
  const parts = [plural(c.units, "unit"), plural(c.errors, "error"), plural(c.warnings, "warning")];
  if (c.notes) parts.push(plural(c.notes, "note"));
  return parts.join(", ") + "\n";
}

/** A diagnostic as JSON: every field present, `null` where there is nothing. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return { code: d.code, severity: d.severity, file: d.file, line: d.line ?? null, key: d.key ?? null, message: d.message, hint: d.hint ?? null };
}

/** A unit as JSON, with its diagnostics. */
export function unitJson(u: AnalyzedUnit): Record<string, unknown> {
  return { file: u.name, path: u.path, dropins: u.dropins, service: u.serviceFile ?? null, status: u.status, diagnostics: u.diagnostics.map(diagnosticJson) };
}

/** Text indented by two spaces, line by line (empty lines stay empty). */
export function indent(text: string): string {
  return text.replace(/^(?=.)/gm, "  ");
}
