/**
 * Writing one group of installed files: each file appears whole (temp file, then link or
 * rename), an existing file is replaced only when asked, and when any write fails the files
 * already written for the group are taken back, so a group is installed whole or not at all.
 */
import { errorCode, type FileSystem } from "../fsys.js";
import { capable } from "./fsops.js";

export interface FileToWrite {
  readonly path: string;
  readonly data: Uint8Array;
}

/** Writes `files`; returns the paths written, or throws after undoing them. */
export function writeAll(fs: FileSystem, files: readonly FileToWrite[], replace: boolean): string[] {
  const ops = capable(fs, "lstat", "writeFileExclusive", "unlink", "rmdir");
  const undo: (() => void)[] = [];
  const written: string[] = [];
  try {
    for (const file of files) {
      const parent = file.path.slice(0, file.path.lastIndexOf("/")) || "/";
      for (const dir of missingDirs(ops, parent)) {
        fs.mkdirp(dir);
        undo.push(() => ops.rmdir(dir));
      }
      const before = ops.lstat(file.path);
      if (before !== undefined && !replace) {
        throw Object.assign(new Error(`${file.path} already exists; use --replace to overwrite it`), { code: "EEXIST" });
      }
      if (before === "file") {
        const old = fs.readFile(file.path);
        fs.writeFileAtomic(file.path, file.data);
        undo.push(() => fs.writeFileAtomic(file.path, old));
      } else if (before === undefined) {
        ops.writeFileExclusive(file.path, file.data);
        undo.push(() => ops.unlink(file.path));
      } else {
        throw new Error(`${file.path} is ${before === "dir" ? "a directory" : "not a regular file"}; it is not replaced`);
      }
      written.push(file.path);
    }
  } catch (err) {
    for (const step of undo.reverse()) {
      try {
        step();
      } catch {
        // keep undoing the rest
      }
    }
    throw err;
  }
  return written;
}

/** `dir` and those of its parents that do not exist yet, outermost first. */
function missingDirs(ops: { lstat(path: string): string | undefined }, dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; d !== "" && d !== "/" && ops.lstat(d) === undefined; d = d.slice(0, d.lastIndexOf("/"))) out.unshift(d);
  return out;
}

/** Whether `err` says the file was already there. */
export function isExists(err: unknown): boolean {
  return errorCode(err) === "EEXIST";
}
