/**
 * The install directory as it will be once an install is done, without writing anything: a
 * read-only {@link FileSystem} that shows the planned files over the real ones. Discovery and
 * analysis run on it exactly as the generator will run after the install, so a unit is
 * checked with its drop-ins and with the other units it refers to.
 */
import type { DirEntry, FileSystem } from "../fsys.js";
import { errorCode } from "../fsys.js";

function notFound(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, '${path}'`), { code: "ENOENT" });
}

function readOnly(): never {
  throw Object.assign(new Error("EROFS: a preview cannot be written to"), { code: "EROFS" });
}

/** `base` with `planned` (absolute path → content) laid over it. */
export function previewFs(base: FileSystem, planned: ReadonlyMap<string, Uint8Array>): FileSystem {
  const dirs = new Map<string, Map<string, DirEntry["kind"]>>();
  for (const path of planned.keys()) {
    let child = path;
    let kind: DirEntry["kind"] = "file";
    while (child !== "/") {
      const slash = child.lastIndexOf("/");
      const parent = slash === 0 ? "/" : child.slice(0, slash);
      let entries = dirs.get(parent);
      if (!entries) dirs.set(parent, (entries = new Map()));
      entries.set(child.slice(slash + 1), kind);
      child = parent;
      kind = "dir";
    }
  }
  const baseEntries = (path: string): DirEntry[] | undefined => {
    try {
      if (base.readdirEntries) return base.readdirEntries(path);
      return base.readdir(path).map((name) => ({ name, kind: "other" as const }));
    } catch (err) {
      if (dirs.has(path) && (errorCode(err) === "ENOENT" || errorCode(err) === "ENOTDIR")) return undefined;
      throw err;
    }
  };
  const entries = (path: string): DirEntry[] => {
    const own = dirs.get(path);
    const under = baseEntries(path) ?? [];
    if (!own) return under;
    const out = under.filter((e) => !own.has(e.name));
    for (const [name, kind] of own) out.push({ name, kind });
    return out;
  };
  return {
    readFile: (p) => planned.get(p) ?? base.readFile(p),
    readdir: (p) => entries(p).map((e) => e.name),
    readdirEntries: entries,
    isDirectory: (p) => dirs.has(p) || base.isDirectory(p),
    exists: (p) => dirs.has(p) || planned.has(p) || base.exists(p),
    realpath: (p) => {
      try {
        return base.realpath(p);
      } catch (err) {
        if (errorCode(err) === "ENOENT" && (dirs.has(p) || planned.has(p))) return p;
        throw errorCode(err) === "ENOENT" ? notFound(p) : err;
      }
    },
    mkdirp: readOnly,
    writeFileAtomic: readOnly,
    symlink: readOnly,
  };
}
