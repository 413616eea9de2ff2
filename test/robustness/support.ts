/**
 * Shared by the robustness tests: unit trees on disk, in-process generator runs, and
 * snapshots of an output directory (files with their bytes, symlinks with their targets).
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll } from "vitest";
import { runGenerator, type CliOptions } from "../../src/cli.js";
import { hostFs, type FileSystem } from "../../src/fsys.js";
import { CollectingLogger } from "../../src/log.js";

/** The directories {@link tempDir} made in this test file; removed when the file's tests end. */
const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}, 120_000); // thousands of files, on a busy machine


/** A fresh temporary directory, removed once the tests of the file that made it have run. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `quadlet-${prefix}-`));
  made.push(dir);
  return dir;
}

/** Writes `files` (relative path → text or bytes) below `root`. */
export function writeTree(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, data] of Object.entries(files)) {
    const full = join(root, rel);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, data);
  }
}

export interface RunResult {
  status: number;
  log: CollectingLogger;
  stdout: string;
}

/** Runs the generator in-process over `unitDirs`, writing into `outDir`. */
export function runOn(unitDirs: string[], outDir: string, opts: Partial<CliOptions> = {}, fs: FileSystem = hostFs): RunResult {
  const log = new CollectingLogger();
  let stdout = "";
  const options: CliOptions = { dryRun: false, user: false, verbose: false, noKmsgLog: true, version: false, help: false, dirs: [outDir], ...opts };
  const status = runGenerator(options, {
    fs,
    env: { QUADLET_UNIT_DIRS: unitDirs.join(":") },
    uid: 0,
    log,
    stdout: (text) => (stdout += text),
  });
  return { status, log, stdout };
}

export type Entry = { kind: "file"; data: string } | { kind: "link"; target: string } | { kind: "dir" };

/** Every entry below `root` by relative path, hidden ones included. */
export function snapshot(root: string): Map<string, Entry> {
  const out = new Map<string, Entry>();
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const full = join(root, r);
      const st = lstatSync(full);
      if (st.isSymbolicLink()) out.set(r, { kind: "link", target: readlinkSync(full) });
      else if (st.isDirectory()) {
        out.set(r, { kind: "dir" });
        walk(r);
      } else out.set(r, { kind: "file", data: readFileSync(full, "latin1") });
    }
  };
  walk("");
  return out;
}

/** Whether a path has a hidden component (a temp file, or inside a hidden directory). */
export function isHidden(rel: string): boolean {
  return rel.split("/").some((part) => part.startsWith("."));
}
