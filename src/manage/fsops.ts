/**
 * The optional {@link FileSystem} operations that installing and removing need, checked once
 * so that a file system without them fails with a plain message instead of half a change.
 */
import type { FileSystem } from "../fsys.js";

type Optional = "lstat" | "writeFileExclusive" | "unlink" | "rmdir";

export function capable<K extends Optional>(fs: FileSystem, ...ops: K[]): Required<Pick<FileSystem, K>> {
  for (const op of ops) if (typeof fs[op] !== "function") throw new Error(`this file system cannot ${op}; quadlet cannot change files through it`);
  // Checked just above: every operation asked for is there.
  return fs as unknown as Required<Pick<FileSystem, K>>;
}
