/**
 * Every file-system access quadlet makes goes through a {@link FileSystem}, so tests can
 * run the whole generator against a temp dir or an in-memory volume (memfs).
 */
import type * as nodeFs from "node:fs";

/** A directory entry: `dir` and `file` when the listing says so, `other` for symlinks and the rest. */
export interface DirEntry {
  name: string;
  kind: "dir" | "file" | "other";
}

/** What quadlet needs of a file system. Paths are absolute. Errors carry a `code` (ENOENT, …). */
export interface FileSystem {
  readFile(path: string): Uint8Array;
  /**
   * The file decoded as UTF-8, bytes that are not UTF-8 replaced by U+FFFD. Optional: a fast
   * path for unit files (one call, decoded natively); readers fall back to readFile when it is
   * missing or the text holds U+FFFD or NUL. A wrapper that replaces readFile must replace or
   * drop this one too.
   */
  readText?(path: string): string;
  /** The names in a directory, in no particular order. */
  readdir(path: string): string[];
  /**
   * The entries of a directory with their kinds, as the listing itself gives them (no stat
   * per entry). Optional: without it, callers use readdir and isDirectory. A wrapper that
   * replaces readdir (to fake or watch listings) must replace or drop this one too.
   */
  readdirEntries?(path: string): DirEntry[];
  /** Follows symlinks. */
  isDirectory(path: string): boolean;
  /** Whether anything is at `path` (following symlinks): a device, a file, a directory. */
  exists(path: string): boolean;
  /** Resolves every symlink in `path`. */
  realpath(path: string): string;
  mkdirp(path: string): void;
  /** Writes `data` to a hidden temp file next to `path`, then renames it into place. */
  writeFileAtomic(path: string, data: string | Uint8Array): void;
  /** Replaces whatever is at `path` with a symlink to `target`, atomically (temp link, then rename). */
  symlink(target: string, path: string): void;

  // ---- used by `quadlet install` and `quadlet rm` (optional: the generator needs none of them)
  /** What is at `path` itself, without following a final symlink; undefined when nothing is. */
  lstat?(path: string): PathKind | undefined;
  /**
   * Writes `data` to a hidden temp file next to `path`, then links it into place only if
   * nothing is there yet: fails with EEXIST otherwise, and never leaves a half-written file.
   */
  writeFileExclusive?(path: string, data: Uint8Array | string): void;
  unlink?(path: string): void;
  /** Removes an empty directory. */
  rmdir?(path: string): void;
}

/** What a path is, as lstat(2) tells it. */
export type PathKind = "file" | "dir" | "symlink" | "other";

/** Anything thrown by the file system: `code` says what (ENOENT, EACCES, …). */
export function errorCode(err: unknown): string | undefined {
  return typeof err === "object" && err !== null && "code" in err ? String((err as { code: unknown }).code) : undefined;
}

let tmpCounter = 0;

/**
 * A temp name next to `path`, hidden (leading ".") so nothing reads a half-written file.
 * The name is cut short so that a 255-character unit name still makes a valid file name.
 */
function hiddenTempName(path: string): string {
  const slash = path.lastIndexOf("/");
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1, slash + 201)}.${process.pid}.${tmpCounter++}.tmp`;
}

function removeQuietly(fs: typeof nodeFs, path: string): void {
  try {
    fs.unlinkSync(path);
  } catch {
    // nothing was made
  }
}

function kindOf(entry: nodeFs.Dirent): DirEntry["kind"] {
  if (entry.isDirectory()) return "dir";
  return entry.isFile() ? "file" : "other";
}

function lstatKind(fs: typeof nodeFs, path: string): PathKind | undefined {
  let st: nodeFs.Stats;
  try {
    st = fs.lstatSync(path);
  } catch (err) {
    if (errorCode(err) === "ENOENT" || errorCode(err) === "ENOTDIR") return undefined;
    throw err;
  }
  if (st.isSymbolicLink()) return "symlink";
  if (st.isDirectory()) return "dir";
  return st.isFile() ? "file" : "other";
}

/**
 * The options of every text read, one object for all of them. Given the string "utf8",
 * node's readFileSync copies it into a new options object on each call, and its property
 * reads then miss V8's caches every time (three runtime lookups a file, measured with
 * `node --log-ic`); one object of one shape is found in the cache after the first read.
 */
const READ_UTF8 = Object.freeze({ encoding: "utf8", flag: "r" } as const);

/** A {@link FileSystem} over any object with node's `fs` API (node:fs itself, or memfs). */
export function fileSystemOf(fs: typeof nodeFs): FileSystem {
  return {
    readFile: (p) => fs.readFileSync(p),
    readText: (p) => fs.readFileSync(p, READ_UTF8),
    readdir: (p) => fs.readdirSync(p) as string[],
    readdirEntries: (p) => fs.readdirSync(p, { withFileTypes: true }).map((e) => ({ name: String(e.name), kind: kindOf(e) })),
    isDirectory: (p) => {
      try {
        return fs.statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    exists: (p) => fs.existsSync(p),
    realpath: (p) => fs.realpathSync(p),
    mkdirp: (p) => {
      fs.mkdirSync(p, { recursive: true });
    },
    writeFileAtomic: (p, data) => {
      const tmp = hiddenTempName(p);
      try {
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, p);
      } catch (err) {
        removeQuietly(fs, tmp);
        throw err;
      }
    },
    lstat: (p) => lstatKind(fs, p),
    writeFileExclusive: (p, data) => {
      const tmp = hiddenTempName(p);
      try {
        fs.writeFileSync(tmp, data, { mode: 0o644 });
        // link(2) refuses to replace an existing name: the file appears whole, or not at all.
        fs.linkSync(tmp, p);
      } finally {
        removeQuietly(fs, tmp);
      }
    },
    unlink: (p) => fs.unlinkSync(p),
    rmdir: (p) => fs.rmdirSync(p),
    symlink: (target, p) => {
      // symlink(2) makes a link whole or not at all, so where there is nothing yet (a
      // generator's output directory is empty at boot) the link is made in place.
      try {
        fs.symlinkSync(target, p);
        return;
      } catch (err) {
        if (errorCode(err) !== "EEXIST") throw err;
      }
      // Something is there: a new link is made under a temp name and renamed over it, so
      // there is never a moment without a link at `p`, nor a half-made one.
      const tmp = hiddenTempName(p);
      try {
        fs.symlinkSync(target, tmp);
        fs.renameSync(tmp, p);
      } catch (err) {
        removeQuietly(fs, tmp);
        throw err;
      }
    },
  };
}

/**
 * The real file system. node:fs is taken with require, not `import * as`: the bundle would
 * copy each of its hundred-odd properties into a namespace object at every start.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const hostFs: FileSystem = fileSystemOf(require("node:fs") as typeof nodeFs);
