/**
 * The one shape every problem quadlet finds takes, from the parser to the subcommands.
 *
 * A diagnostic names where it was found (file and line, the key when there is one), says
 * what is wrong, and where it can, how to fix it. Codes are stable: tools and users may
 * match on them, and `man quadlet` documents each one.
 */

export type Severity = "error" | "warning" | "note";

export interface Diagnostic {
  /** A stable code, e.g. `QL0102`; documented in the man page's catalogue. */
  readonly code: string;
  readonly severity: Severity;
  /** The file the problem is in: the unit file, or the drop-in that holds the line. */
  readonly file: string;
  /** 1-based line number, when the problem is on a line. */
  readonly line?: number;
  /** The key the line sets, when the problem is about a key. */
  readonly key?: string;
  /** What is wrong, as a sentence without the file and line (those are printed before it). */
  readonly message: string;
  /** How to fix it, or what is accepted. */
  readonly hint?: string;
}

/** `web.container:7: error[QL0102]: message`: the compiler-style line, without the hint. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line !== undefined && d.line > 0 ? `${d.file}:${d.line}` : d.file;
  return `${where}: ${d.severity}[${d.code}]: ${d.message}`;
}

/** Whether any diagnostic in `list` is an error. */
export function hasErrors(list: readonly Diagnostic[]): boolean {
  for (let i = 0; i < list.length; i++) if (list[i]!.severity === "error") return true;
  return false;
}
