/**
 * Every quadlet the generator of a mode would read, as the managing subcommands see it: its
 * file, the service it makes, the application it belongs to, and, from the analysis phase,
 * whether it compiles and why not.
 */
import { readSection } from "../analysis/section.js";
import { hostAccounts } from "../accounts.js";
import { analyze, formatDiagnostic, type AnalyzedUnit, type Diagnostic } from "../analysis/index.js";
import type { CommandContext } from "../commands/context.js";
import type { FileSystem } from "../fsys.js";
import { serviceNameOf } from "../generator/common.js";
import { typeOf } from "../generator/index.js";
import type { Logger } from "../log.js";
import { discoverUnits } from "../parser/discover.js";
import { parseUnitText } from "../parser/parse.js";
import { fileOf, UnitFile } from "../parser/unitfile.js";
import { isInside, type Scope } from "./dirs.js";

export interface InstalledUnit {
  /** `web.container` */
  readonly name: string;
  readonly path: string;
  /** `web.service` */
  readonly serviceFile: string;
  /** The application (subdirectory of the install directory) it belongs to, or "". */
  readonly app: string;
  /** `Pod=` of a `.container`, or "". */
  readonly pod: string;
  /** The unit with its drop-ins merged; absent when the file could not be read. */
  readonly unit?: UnitFile;
  readonly analyzed?: AnalyzedUnit;
  /** Why the file could not be read at all. */
  readonly loadError?: string;
}

export interface Inventory {
  readonly units: InstalledUnit[];
  readonly searchPaths: readonly string[];
}

const QUIET: Logger = { debug: () => undefined, info: () => undefined, error: () => undefined };
const LOAD_ERROR = /^error loading "(.*)": ([^]*)$/;

/** Discovers and analyses every unit of the scope, read through `fs` (the host's, or a preview of an install). */
export function takeInventory(ctx: CommandContext, scope: Scope, fs: FileSystem = ctx.fs): Inventory {
  const found = discoverUnits(scope.search, fs, QUIET);
  ctx.beforeConverting?.(found.units.length);
  const podman = ctx.env.PODMAN || "/usr/bin/podman";
  const analysis = analyze(found.units, { userMode: scope.user, podman, accounts: hostAccounts(ctx.fs) });
  const byPath = new Map(analysis.units.map((u) => [u.path, u]));
  const units: InstalledUnit[] = found.units.map((unit) => describe(scope, unit.filename, unit.path, unit, byPath.get(unit.path)));
  for (const error of found.errors) {
    const m = LOAD_ERROR.exec(error);
    if (!m) continue;
    const path = m[1]!;
    const name = path.slice(path.lastIndexOf("/") + 1);
    units.push({ ...describe(scope, name, path, undefined, undefined), loadError: m[2]! });
  }
  return { units, searchPaths: found.searchPaths };
}

/**
 * A unit file in the install directory that discovery did not return, because a file of the
 * same name in a directory read earlier hides it: described from the file alone.
 */
export function hiddenUnit(fs: FileSystem, scope: Scope, path: string): InstalledUnit {
  const name = path.slice(path.lastIndexOf("/") + 1);
  let unit: UnitFile | undefined;
  try {
    unit = parseUnitText(new TextDecoder().decode(fs.readFile(path)), name, path);
  } catch {
    unit = undefined;
  }
  return describe(scope, name, path, unit, undefined);
}

function describe(scope: Scope, name: string, path: string, unit: UnitFile | undefined, analyzed: AnalyzedUnit | undefined): InstalledUnit {
  const rel = isInside(path, scope.installDir) ? path.slice(scope.installDir.length + 1) : "";
  const slash = rel.indexOf("/");
  const pod = unit && name.endsWith(".container") ? (unit.lookup("Container", "Pod") ?? "") : "";
  return {
    name,
    path,
    serviceFile: analyzed?.serviceFile ?? serviceFileOf(unit ?? new UnitFile(name, path)),
    app: slash === -1 ? "" : rel.slice(0, slash),
    pod,
    ...(unit ? { unit } : {}),
    ...(analyzed ? { analyzed } : {}),
  };
}

/** The service a unit makes, worked out from its name and `ServiceName=` even when it does not compile. */
function serviceFileOf(unit: UnitFile): string {
  const type = typeOf(unit);
  return type ? `${serviceNameOf(readSection(unit, type.group, type.keys, []), type)}.service` : `${unit.baseName}.service`;
}

/** The drop-in files merged into the unit, in the order they were applied (by file name). */
export function dropinsOf(u: InstalledUnit): string[] {
  if (u.analyzed && u.analyzed.dropins.length) return [...u.analyzed.dropins];
  const files = new Set<string>();
  for (const g of u.unit?.groups ?? []) {
    for (const line of [...g.comments, ...g.lines]) {
      const file = fileOf(line);
      if (file !== undefined && file !== u.path) files.add(file);
    }
  }
  const base = (p: string): string => p.slice(p.lastIndexOf("/") + 1);
  return [...files].sort((a, b) => (base(a) < base(b) ? -1 : base(a) > base(b) ? 1 : 0));
}

/**
 * Why the generator does not make the unit's service, in one line: the first error as
 * `FILE:LINE: message`, files named relative to `dir`; undefined when nothing is wrong.
 */
export function notLoadedReason(u: InstalledUnit, dir: string): string | undefined {
  if (u.loadError !== undefined) return shortenPaths(u.loadError, dir);
  const errors = (u.analyzed?.diagnostics ?? []).filter((d) => d.severity === "error");
  if (errors.length === 0) return u.analyzed?.status === "error" ? "the generator does not make it (no reason given)" : undefined;
  const first = errors[0]!;
  const where = first.line !== undefined && first.line > 0 ? `${relativeTo(first.file, dir)}:${first.line}` : relativeTo(first.file, dir);
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? "s" : ""})` : "";
  return `${where}: ${shortenPaths(first.message, dir)}${more}`;
}

function relativeTo(file: string, dir: string): string {
  return isInside(file, dir) && file !== dir ? file.slice(dir.length + 1) : file;
}

function shortenPaths(text: string, dir: string): string {
  return text.split(dir + "/").join("");
}

/** A diagnostic as the compiler-style line and, when it has one, its hint line. */
export function diagnosticLines(d: Diagnostic): string {
  return formatDiagnostic(d) + "\n" + (d.hint ? `  hint: ${d.hint}\n` : "");
}
