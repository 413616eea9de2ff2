/**
 * Loading units for the subcommands (`verify`, `explain`, `graph`): from the mode's search
 * paths, from directories, or from unit files named on the command line, each with its
 * drop-ins exactly as the generator would merge them once installed.
 *
 * Beside the units themselves, a load records what the generator does not say: the files
 * merged into each unit in order, the files of the same name it hid (shadowed), and the
 * files it read past (skipped), each with the reason.
 */
import { posix } from "node:path";
import { errorCode, type DirEntry, type FileSystem } from "../fsys.js";
import type { Logger } from "../log.js";
import { discoverUnits, dropinDirNames, unitExtensionOf, UNIT_EXTENSIONS, type Discovery } from "../parser/discover.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { SkippedFile } from "./analysis.js";
import type { Diagnostic } from "./diagnostic.js";
import { CODES } from "./graph-codes.js";

/** Where to load from: the mode (root or `-user`), its environment, and the PATH arguments. */
export interface LoadRequest {
  readonly userMode: boolean;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly uid: number;
  readonly cwd: string;
  /** Unit files and directories; none means the mode's search paths. */
  readonly paths: readonly string[];
}

/** What was merged into one unit, and what was passed over on the way. */
export interface FileReport {
  /** The unit file, then its drop-ins in the order they were applied. */
  readonly merged: string[];
  readonly shadowed: SkippedFile[];
  readonly skipped: SkippedFile[];
}

/**
 * Units that were loaded together and so see each other: one discovery. A unit refers only
 * to units of its own set, as it would on a host where those files are installed.
 */
export interface UnitSet {
  /** Every unit of the set, in search order (the generator's order). */
  readonly units: UnitFile[];
  readonly searchPaths: readonly string[];
  /** The units to report on: all of them, or those named by path. */
  readonly selected: ReadonlySet<UnitFile>;
  /** What was merged into a unit of the set, and what was passed over (worked out when asked for). */
  report(unit: UnitFile): FileReport;
  /** Files that could not be loaded, and named files that were not units. */
  readonly problems: Diagnostic[];
}

/** A PATH argument that cannot be used: a usage error (exit status 2). */
export class PathError extends Error {
  override name = "PathError";
}

const QUIET: Logger = { debug() {}, info() {}, error() {} };

/** Loads the units a subcommand works on; throws PathError for a PATH that does not exist. */
export function loadUnitSets(req: LoadRequest, fs: FileSystem): UnitSet[] {
  if (req.paths.length === 0) return [setOf(discoverUnits(req, fs, QUIET), fs, undefined)];
  const dirs: string[] = [];
  const files: string[] = [];
  const modeFiles: string[] = [];
  let mode: Discovery | undefined;
  for (const arg of req.paths) {
    const path = posix.resolve(req.cwd, arg);
    if (fs.isDirectory(path)) {
      pushOnce(dirs, realpath(fs, path));
      continue;
    }
    if (!exists(fs, path)) throw new PathError(`${arg}: no such file or directory`);
    const full = `${realpath(fs, posix.dirname(path))}/${posix.basename(path)}`;
    mode ??= discoverUnits(req, fs, QUIET);
    // A file in one of the mode's directories is seen with everything installed beside it.
    if (mode.searchPaths.includes(posix.dirname(full))) modeFiles.push(full);
    else {
      files.push(full);
      pushOnce(dirs, posix.dirname(full));
    }
  }
  const sets: UnitSet[] = [];
  if (modeFiles.length && mode) sets.push(setOf(mode, fs, modeFiles));
  if (dirs.length) {
    // Directories given whole are reported whole; of the others, only the files named.
    const named = files.length ? files : undefined;
    const given = dirs.filter((d) => !files.some((f) => posix.dirname(f) === d));
    const discovery = discoverUnits({ ...req, env: { ...req.env, QUADLET_UNIT_DIRS: dirs.join(":") } }, fs, QUIET);
    sets.push(setOf(discovery, fs, named, given));
  }
  return sets;
}

function pushOnce(list: string[], item: string): void {
  if (!list.includes(item)) list.push(item);
}

function realpath(fs: FileSystem, path: string): string {
  try {
    return fs.realpath(path);
  } catch {
    return path;
  }
}

function exists(fs: FileSystem, path: string): boolean {
  try {
    fs.readFile(path);
    return true;
  } catch (err) {
    return errorCode(err) !== "ENOENT" && errorCode(err) !== "ENOTDIR";
  }
}

/** A directory's entries, listed once: names in order and what each is. */
interface Listing {
  readonly path: string;
  readonly names: string[];
  readonly nameSet: ReadonlySet<string>;
  readonly kinds: Map<string, DirEntry["kind"]>;
}

function listing(fs: FileSystem, path: string): Listing {
  const kinds = new Map<string, DirEntry["kind"]>();
  let names: string[] = [];
  try {
    if (fs.readdirEntries) {
      for (const e of fs.readdirEntries(path)) {
        names.push(e.name);
        kinds.set(e.name, e.kind);
      }
    } else {
      names = fs.readdir(path);
    }
  } catch {
    // a search path that does not exist
  }
  names.sort();
  return { path, names, nameSet: new Set(names), kinds };
}

function isDir(fs: FileSystem, dir: Listing, name: string): boolean {
  const kind = dir.kinds.get(name);
  return kind === "dir" || (kind !== "file" && fs.isDirectory(`${dir.path}/${name}`));
}

/**
 * Builds a set from one discovery. `files`: the unit files named (absolute); `dirs`:
 * directories named whole. With neither, every unit is selected.
 */
function setOf(found: Discovery, fs: FileSystem, files?: readonly string[], dirs: readonly string[] = []): UnitSet {
  const problems = found.errors.map(loadProblem);
  const report = reporter(found, fs);
  const selected = new Set<UnitFile>();
  for (const unit of found.units) {
    if (!files || files.includes(unit.path) || dirs.some((d) => isBelow(unit.path, d))) selected.add(unit);
  }
  if (!files) return { units: found.units, searchPaths: found.searchPaths, selected, report, problems };
  for (const file of files) {
    if (found.units.some((u) => u.path === file) || problems.some((p) => p.file === file)) continue;
    problems.push(notLoaded(file, report.shadowedBy()));
  }
  // Only problems of what is reported on: a broken neighbour of a named file is not news.
  const wanted = (d: Diagnostic): boolean => files.includes(d.file) || dirs.some((dir) => isBelow(d.file, dir)) || [...selected].some((u) => report(u).merged.includes(d.file));
  return { units: found.units, searchPaths: found.searchPaths, selected, report, problems: problems.filter(wanted) };
}

/**
 * Works out a unit's {@link FileReport} when asked for: `verify` needs none, so it lists no
 * directory twice. Each directory is listed at most once per set.
 */
function reporter(found: Discovery, fs: FileSystem): ((unit: UnitFile) => FileReport) & { shadowedBy(): Map<string, SkippedFile[]> } {
  let listings: Listing[] | undefined;
  let hidden: Map<string, SkippedFile[]> | undefined;
  const cache = new Map<string, Listing>();
  const reports = new Map<UnitFile, FileReport>();
  const searchListings = (): Listing[] => (listings ??= found.searchPaths.map((p) => listing(fs, p)));
  const shadowedBy = (): Map<string, SkippedFile[]> => (hidden ??= shadowedFiles(fs, searchListings()));
  const report = (unit: UnitFile): FileReport => {
    let r = reports.get(unit);
    if (!r) {
      const dropins = dropinsOf(unit, searchListings(), fs, cache);
      r = { merged: [unit.path, ...dropins.merged], shadowed: [...(shadowedBy().get(unit.path) ?? []), ...dropins.shadowed], skipped: dropins.skipped };
      reports.set(unit, r);
    }
    return r;
  };
  return Object.assign(report, { shadowedBy });
}

function isBelow(path: string, dir: string): boolean {
  return path.startsWith(dir + "/");
}

/** Why a file named on the command line made no unit. */
function notLoaded(file: string, shadowedBy: Map<string, SkippedFile[]>): Diagnostic {
  for (const [winner, hidden] of shadowedBy) {
    if (hidden.some((h) => h.path === file)) {
      return { ...CODES.shadowed, severity: "warning", file, message: `not read: ${winner} has the same name and comes first in the search order`, hint: "remove or rename one of the two files" };
    }
  }
  const ext = unitExtensionOf(file);
  if (!ext) {
    return { ...CODES.notAUnit, severity: "error", file, message: "not a quadlet unit file", hint: `quadlet reads files ending in ${UNIT_EXTENSIONS.join(", ")}` };
  }
  return { ...CODES.notAUnit, severity: "error", file, message: "not read: it is not a regular file" };
}

/** `error loading "PATH": PATH:LINE: detail`, as discovery words it, as a diagnostic. */
function loadProblem(text: string): Diagnostic {
  const m = /^error loading "(.*)": (.*)$/s.exec(text);
  if (!m) return { ...CODES.load, severity: "error", file: "", message: text };
  const [, unitPath, detail] = m as unknown as [string, string, string];
  const at = /^(\/[^:]*):(\d+): (.*)$/s.exec(detail);
  if (!at) return { ...CODES.load, severity: "error", file: unitPath, message: detail };
  const line = Number(at[2]);
  return { ...CODES.load, severity: "error", file: at[1]!, ...(line > 0 ? { line } : {}), message: at[3]! };
}

/** For each unit path that wins, the files of the same name that it hides. */
function shadowedFiles(fs: FileSystem, listings: readonly Listing[]): Map<string, SkippedFile[]> {
  const winners = new Map<string, string>();
  const hidden = new Map<string, SkippedFile[]>();
  for (const dir of listings) {
    for (const name of dir.names) {
      if (!unitExtensionOf(name)) continue;
      const winner = winners.get(name);
      if (winner === undefined) {
        if (!isDir(fs, dir, name)) winners.set(name, `${dir.path}/${name}`);
        continue;
      }
      if (isDir(fs, dir, name)) continue;
      const list = hidden.get(winner) ?? [];
      list.push({ path: `${dir.path}/${name}`, reason: `hidden by ${winner}, which comes first in the search order` });
      hidden.set(winner, list);
    }
  }
  return hidden;
}

/**
 * The drop-ins of `unit` as discovery merges them: in every search directory, the drop-in
 * directories from the most specific to the shared one; each `.conf` name once (the first
 * found wins), applied in name order.
 */
function dropinsOf(unit: UnitFile, listings: readonly Listing[], fs: FileSystem, cache: Map<string, Listing>): FileReport {
  const wanted = dropinDirNames(unit);
  const byName = new Map<string, string>();
  const shadowed: SkippedFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const dir of listings) {
    for (const dropinDir of wanted) {
      if (!dir.nameSet.has(dropinDir)) continue;
      const full = `${dir.path}/${dropinDir}`;
      let entries = cache.get(full);
      if (!entries) cache.set(full, (entries = listing(fs, full)));
      for (const name of entries.names) {
        const path = `${full}/${name}`;
        if (!name.endsWith(".conf")) skipped.push({ path, reason: "not a drop-in: only files ending in .conf are read" });
        else if (byName.has(name)) shadowed.push({ path, reason: `overridden by ${byName.get(name)}, which is more specific or comes first in the search order` });
        else byName.set(name, path);
      }
    }
  }
  const merged = [...byName.keys()].sort().map((n) => byName.get(n)!);
  return { merged, shadowed, skipped };
}
