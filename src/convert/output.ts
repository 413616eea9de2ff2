/**
 * The end of a conversion: verify the units by compiling them as the generator would, then
 * print them or write them, all or none, never over an existing file unless forced.
 */
import { analyze, formatDiagnostic, type Diagnostic } from "../analysis/index.js";
import { errorCode, type FileSystem } from "../fsys.js";
import { parseUnitText } from "../parser/parse.js";
import { unitNameProblem } from "../parser/names.js";
import { baseName, renderQuadlets, renderUnit, type OutUnit } from "./units.js";
import { byText } from "./values.js";

export type Format = "files" | "quadlets";

export interface OutputOptions {
  /** The directory to write into; undefined prints to standard output. */
  readonly outDir: string | undefined;
  readonly format: Format;
  /** The `.quadlets` file's name without its extension (the project's name). */
  readonly bundleName: string;
  readonly force: boolean;
  readonly explain: boolean;
  readonly userMode: boolean;
}

/** The files to write (name → text): one per unit, or one `.quadlets` file. */
export function outputFiles(units: readonly OutUnit[], opts: Pick<OutputOptions, "format" | "bundleName" | "explain">): Map<string, string> {
  if (opts.format === "quadlets") return new Map([[`${opts.bundleName}.quadlets`, renderQuadlets(units, opts.explain)]]);
  return new Map(units.map((u) => [u.fileName, renderUnit(u, opts.explain)]));
}

/**
 * Compiles the units in memory, as the generator would at boot: every problem it finds,
 * errors first. `dir` is where the units are said to live (for messages).
 */
export function verifyUnits(units: readonly OutUnit[], dir: string, userMode: boolean): Diagnostic[] {
  const out: Diagnostic[] = [];
  const parsed = [];
  for (const u of units) {
    // the file's name without its extension must make a valid systemd unit name
    const problem = unitNameProblem(`${baseName(u.fileName)}.service`);
    if (problem) out.push({ code: "QL1003", severity: "error", file: u.fileName, message: `${u.fileName} is not a valid unit name: ${problem}` });
    else parsed.push(parseUnitText(renderUnit(u, false), u.fileName, `${dir}/${u.fileName}`));
  }
  const analysis = analyze(parsed, { userMode, podman: "/usr/bin/podman" });
  for (const unit of analysis.units) out.push(...unit.diagnostics);
  out.push(...analysis.diagnostics);
  return out;
}

function exists(fs: FileSystem, path: string): boolean {
  if (fs.isDirectory(path)) return true;
  try {
    fs.readFile(path);
    return true;
  } catch (err) {
    return errorCode(err) !== "ENOENT";
  }
}

/**
 * Writes `files` into `dir`, each atomically. Refuses, writing nothing, when one exists
 * already and `force` is not set. Returns the problems (empty when all was written).
 */
export function writeFiles(fs: FileSystem, dir: string, files: ReadonlyMap<string, string>, force: boolean): string[] {
  const present = [...files.keys()].filter((name) => exists(fs, `${dir}/${name}`));
  if (present.length > 0 && !force) {
    return present.map((name) => `${dir}/${name} exists already; nothing was written (--force replaces it)`);
  }
  try {
    fs.mkdirp(dir);
  } catch (err) {
    return [`${dir}: cannot be created: ${err instanceof Error ? err.message : String(err)}`];
  }
  const problems: string[] = [];
  for (const [name, text] of files) {
    try {
      fs.writeFileAtomic(`${dir}/${name}`, text);
    } catch (err) {
      problems.push(`${dir}/${name}: cannot be written: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return problems;
}

/** `file:line: severity[code]: message` lines, errors first, then in file and line order. */
export function formatAll(list: readonly Diagnostic[]): string {
  const rank = (d: Diagnostic): number => (d.severity === "error" ? 0 : 1);
  const sorted = [...list].sort((a, b) => rank(a) - rank(b) || byText(a.file, b.file) || (a.line ?? 0) - (b.line ?? 0));
  return sorted.map((d) => formatDiagnostic(d) + (d.hint ? `\n  hint: ${d.hint}` : "") + "\n").join("");
}
