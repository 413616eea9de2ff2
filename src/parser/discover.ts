/**
 * Finding quadlet files: the search paths for root and for `--user`, recursion into
 * subdirectories, first-file-of-a-name-wins, and drop-in merging.
 *
 * Each search directory is listed exactly once; drop-in directories are looked up in
 * that index, so a unit with no drop-ins costs no extra system call.
 */
import { errorCode, type DirEntry, type FileSystem } from "../fsys.js";
import type { Logger } from "../log.js";
import { decodeUnitBytes, ParseError, parseInto } from "./parse.js";
import { UnitFile } from "./unitfile.js";

/** The file extensions quadlet compiles. */
export const UNIT_EXTENSIONS = [".container", ".volume", ".network", ".kube", ".image", ".build", ".pod", ".artifact"] as const;
export type UnitExtension = (typeof UNIT_EXTENSIONS)[number];

export function unitExtensionOf(name: string): UnitExtension | undefined {
  const dot = name.lastIndexOf(".");
  const ext = dot === -1 ? "" : name.slice(dot);
  return (UNIT_EXTENSIONS as readonly string[]).includes(ext) ? (ext as UnitExtension) : undefined;
}

/** Root-mode search directories, most important first. */
export const ROOT_UNIT_DIRS = {
  temp: "/run/containers/systemd",
  admin: "/etc/containers/systemd",
  distro: "/usr/share/containers/systemd",
} as const;

/** What the search paths depend on. */
export interface SearchContext {
  userMode: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** The uid whose `users/<uid>` directory is read in user mode. */
  uid: number;
}

/** A directory to read units from, with its listing (empty when it does not exist). */
interface SearchDir {
  path: string;
  /** Sorted. */
  names: string[];
  /** The same names, for lookups (drop-in directories are looked up once per unit). */
  nameSet: Set<string>;
  /** What the listing says each name is; names without an entry need a stat. */
  kinds: Map<string, DirEntry["kind"]>;
}

/** Lists a directory once, keeping what the listing says about each entry's kind. */
function listDir(fs: FileSystem, path: string): SearchDir {
  const kinds = new Map<string, DirEntry["kind"]>();
  let names: string[];
  if (fs.readdirEntries) {
    const entries = fs.readdirEntries(path);
    names = entries.map((e) => e.name);
    for (const e of entries) kinds.set(e.name, e.kind);
  } else {
    names = fs.readdir(path);
  }
  names.sort();
  return { path, names, nameSet: new Set(names), kinds };
}

function emptyDir(path: string): SearchDir {
  return { path, names: [], nameSet: new Set(), kinds: new Map() };
}

/** Whether `name` in `dir` is a directory (following symlinks); a stat only when the listing cannot say. */
function isDirEntry(fs: FileSystem, dir: SearchDir, name: string): boolean {
  const kind = dir.kinds.get(name);
  if (kind === "dir") return true;
  if (kind === "file") return false;
  return fs.isDirectory(`${dir.path}/${name}`);
}

type DirFilter = (path: string, userDir: boolean) => boolean;

class SearchPathWalker {
  readonly dirs: SearchDir[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly fs: FileSystem, private readonly log: Logger) {}

  /** Adds `path` and, recursively, its subdirectories (except `*.d` drop-in dirs). */
  addTree(path: string, userDir: boolean, filter?: DirFilter): void {
    let resolved: string;
    try {
      resolved = this.fs.realpath(path);
    } catch (err) {
      if (errorCode(err) !== "ENOENT") this.log.debug(`Error occurred resolving path "${path}": ${String(err)}`);
      // Still listed, so that "no files parsed from" names it.
      this.addEmpty(path);
      return;
    }
    if (this.seen.has(resolved) || resolved.endsWith(".d")) return;
    if (filter && !filter(resolved, userDir)) return;
    let dir: SearchDir;
    try {
      dir = listDir(this.fs, resolved);
    } catch (err) {
      if (errorCode(err) !== "ENOTDIR") this.log.debug(`Error occurred reading directory "${resolved}": ${String(err)}`);
      return;
    }
    this.seen.add(resolved);
    this.dirs.push(dir);
    for (const name of dir.names) {
      if (unitExtensionOf(name) || name.endsWith(".d")) continue;
      if (isDirEntry(this.fs, dir, name)) this.addTree(`${resolved}/${name}`, userDir, filter);
    }
  }

  addEmpty(path: string): void {
    if (this.seen.has(path)) return;
    this.seen.add(path);
    this.dirs.push(emptyDir(path));
  }
}

/** In root mode, nothing below /etc/containers/systemd/users is read. */
function rootFilter(adminUsersDir: string): DirFilter {
  return (path, userDir) => userDir || !isBelow(path, adminUsersDir);
}

/** In user mode, /etc/containers/systemd/users is read but not its numeric (per-uid) subdirectories. */
function sharedUsersFilter(adminUsersDir: string): DirFilter {
  return (path) => {
    if (!isBelow(path, adminUsersDir)) return true;
    const first = path.slice(adminUsersDir.length + 1).split("/")[0]!;
    return first === "" || !/^\d+$/.test(first);
  };
}

function isBelow(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + "/");
}

function userConfigDir(env: SearchContext["env"]): string | undefined {
  if (env.XDG_CONFIG_HOME) return env.XDG_CONFIG_HOME;
  if (env.HOME) return `${env.HOME}/.config`;
  return undefined;
}

/** The ordered list of directories to read units from, each with its listing. */
function searchDirs(ctx: SearchContext, fs: FileSystem, log: Logger): SearchDir[] {
  const walker = new SearchPathWalker(fs, log);
  const fromEnv = ctx.env.QUADLET_UNIT_DIRS;
  if (fromEnv) {
    for (const dir of fromEnv.split(":")) {
      if (!dir.startsWith("/")) {
        log.info(`${dir} not a valid file path`);
        break;
      }
      walker.addTree(dir, false);
    }
    return walker.dirs;
  }
  let adminUsers = `${ROOT_UNIT_DIRS.admin}/users`;
  try {
    adminUsers = fs.realpath(adminUsers);
  } catch {
    // keep the plain path
  }
  if (!ctx.userMode) {
    const filter = rootFilter(adminUsers);
    walker.addTree(ROOT_UNIT_DIRS.temp, false, filter);
    walker.addTree(ROOT_UNIT_DIRS.admin, false, filter);
    walker.addTree(ROOT_UNIT_DIRS.distro, false);
    return walker.dirs;
  }
  if (ctx.env.XDG_RUNTIME_DIR) walker.addTree(`${ctx.env.XDG_RUNTIME_DIR}/containers/systemd`, false);
  const config = userConfigDir(ctx.env);
  if (config === undefined) {
    log.info("Warning: neither $XDG_CONFIG_HOME nor $HOME is set; skipping the user's own unit directory");
  } else {
    walker.addTree(`${config}/containers/systemd`, false);
  }
  walker.addTree(`${ROOT_UNIT_DIRS.admin}/users`, true, sharedUsersFilter(adminUsers));
  walker.addTree(`${ROOT_UNIT_DIRS.admin}/users/${ctx.uid}`, true, rootFilter(adminUsers));
  // The distribution's units for this uid, then for every user (without its subdirectories).
  walker.addTree(`${ROOT_UNIT_DIRS.distro}/users/${ctx.uid}`, true);
  addListed(walker, `${ROOT_UNIT_DIRS.distro}/users`, fs);
  return walker.dirs;
}

/** Adds one directory without recursion. */
function addListed(walker: SearchPathWalker, path: string, fs: FileSystem): void {
  try {
    walker.dirs.push(listDir(fs, path));
  } catch {
    walker.addEmpty(path);
  }
}

/** The result of looking for units. */
export interface Discovery {
  /** The directories searched, in order. */
  searchPaths: string[];
  /** Every unit found and parsed, drop-ins merged, in search order. */
  units: UnitFile[];
  /** Files that could not be read or parsed, each an error message naming the file and line. */
  errors: string[];
}

/**
 * The drop-in directory names for a unit, most specific first: `foo-bar@x.container.d`,
 * `foo-bar@.container.d`, `foo-@.container.d`, `foo-.container.d`, `container.d`.
 */
export function dropinDirNames(unit: UnitFile): string[] {
  const { base, instance } = unit.templateParts();
  const dropinExt = unit.extension + ".d";
  const names = [dropinExt.slice(1)];
  const parts = base.split("-");
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join("-") + "-";
    names.push(prefix + dropinExt);
    if (instance !== "") names.push(prefix + "@" + dropinExt);
  }
  if (instance !== "") names.push(base + "@" + dropinExt);
  names.push(unit.filename + ".d");
  return names.reverse();
}

/**
 * A unit file's text. Most files are plain UTF-8: read and decoded in one native call. Text
 * with a U+FFFD or NUL in it may be a file that is not text at all; its bytes are read again
 * and checked one by one, so that the error names the line.
 */
function readUnitText(fs: FileSystem, path: string): string {
  try {
    if (fs.readText) {
      const text = fs.readText(path);
      if (!text.includes("\uFFFD") && !text.includes("\0")) return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
    }
    return decodeUnitBytes(fs.readFile(path), path);
  } catch (err) {
    if (err instanceof ParseError) throw err;
    throw new ParseError({ file: path, line: 0 }, `cannot read the file: ${errorCode(err) ?? String(err)}`);
  }
}

/**
 * Drop-in directory listings and drop-in texts, each read once per run: a shared directory
 * such as `container.d/` applies to every unit of its type, and a template's drop-ins to
 * each of its instances. An unreadable directory or file is kept as its error.
 */
type DropinListing = string[] | { error: unknown };
interface DropinCache {
  readonly listings: Map<string, DropinListing>;
  readonly texts: Map<string, string | ParseError>;
}

function listDropinDir(fs: FileSystem, full: string, cache: DropinCache): DropinListing {
  let entries = cache.listings.get(full);
  if (entries === undefined) {
    try {
      entries = fs.readdir(full);
    } catch (error) {
      entries = { error };
    }
    cache.listings.set(full, entries);
  }
  return entries;
}

/** The text of the drop-in at `path`; throws the ParseError of a file that cannot be read. */
function dropinText(fs: FileSystem, path: string, cache: DropinCache): string {
  let text = cache.texts.get(path);
  if (text === undefined) {
    try {
      text = readUnitText(fs, path);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      text = err;
    }
    cache.texts.set(path, text);
  }
  if (text instanceof ParseError) throw text;
  return text;
}

/**
 * The unit with its drop-ins merged: each `.conf` name once (the most specific wins), in name
 * order. A drop-in, or drop-in directory, that cannot be read or parsed is left out whole and
 * reported in `errors`; the unit is still made from the rest, as podman does.
 */
function mergeDropins(unit: UnitFile, dirs: SearchDir[], fs: FileSystem, log: Logger, cache: DropinCache, errors: string[]): UnitFile {
  const wanted = dropinDirNames(unit);
  // Most units have no drop-in directory: no map and no sort for them.
  let byName: Map<string, string> | undefined;
  for (const dir of dirs) {
    for (const dropinDir of wanted) {
      if (!dir.nameSet.has(dropinDir)) continue;
      byName ??= new Map();
      const full = `${dir.path}/${dropinDir}`;
      const entries = listDropinDir(fs, full, cache);
      if (!Array.isArray(entries)) {
        const code = errorCode(entries.error);
        if (code !== "ENOENT" && code !== "ENOTDIR") reportOnce(errors, `error loading "${full}": cannot read the drop-in directory: ${code}`);
        continue;
      }
      for (const name of entries) {
        if (name.endsWith(".conf") && !byName.has(name)) byName.set(name, `${full}/${name}`);
      }
    }
  }
  if (byName === undefined) return unit;
  let merged = unit;
  for (const name of [...byName.keys()].sort()) {
    const path = byName.get(name)!;
    log.debug(`Reading source unit file drop-in ${path}`);
    // Parsed into a copy, so that a drop-in that fails halfway leaves nothing behind.
    const next = merged.clone();
    try {
      parseInto(next, dropinText(fs, path, cache), path);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      reportOnce(errors, `error loading "${path}": ${err.message}`);
      continue;
    }
    merged = next;
  }
  return merged;
}

/** Adds `message` unless it is there already: a shared drop-in (`container.d/`) applies to many units. */
function reportOnce(errors: string[], message: string): void {
  if (!errors.includes(message)) errors.push(message);
}

/** Finds, reads and parses every unit, with its drop-ins. Never throws for a bad file. */
export function discoverUnits(ctx: SearchContext, fs: FileSystem, log: Logger): Discovery {
  const dirs = searchDirs(ctx, fs, log);
  const seen = new Set<string>();
  const cache: DropinCache = { listings: new Map(), texts: new Map() };
  const units: UnitFile[] = [];
  const errors: string[] = [];
  for (const dir of dirs) {
    for (const name of dir.names) {
      if (seen.has(name) || !unitExtensionOf(name)) continue;
      const path = `${dir.path}/${name}`;
      if (isDirEntry(fs, dir, name)) continue;
      seen.add(name);
      log.debug(`Loading source unit file ${path}`);
      try {
        const unit = new UnitFile(name, path);
        parseInto(unit, readUnitText(fs, path), path);
        units.push(mergeDropins(unit, dirs, fs, log, cache, errors));
      } catch (err) {
        // Anything else is a bug in quadlet: it costs this file, never the whole run.
        const detail = err instanceof ParseError ? err.message : `internal error: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}`;
        errors.push(`error loading "${path}": ${detail}`);
      }
    }
  }
  return { searchPaths: dirs.map((d) => d.path), units, errors };
}
