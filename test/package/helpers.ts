/**
 * Helpers for the packaging tests: running programs and scripts, temporary directories.
 */
import { spawnSync, type SpawnSyncOptions } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";

export const ROOT = resolve(__dirname, "../..");

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `cmd` to completion (never through a shell). */
export function run(cmd: string, args: readonly string[], opts: SpawnSyncOptions = {}): Ran {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: "utf8", timeout: 120_000, ...opts });
  if (r.error) throw r.error;
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Runs one of the project's scripts (`scripts/NAME.mjs`) with the node running the tests. */
export function runScript(name: string, args: readonly string[], opts: SpawnSyncOptions = {}): Ran {
  return run(process.execPath, [join(ROOT, "scripts", `${name}.mjs`), ...args], opts);
}

/** Whether `cmd` can be found on PATH. */
export function hasCommand(cmd: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** A fresh temporary directory; remove it with {@link removeDir}. */
export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `quadlet-${label}-`));
}

export function removeDir(dir: string | undefined): void {
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Writes `files` (relative path → text) under `dir`, creating directories as needed. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** Every path under `dir`, relative and sorted, directories included. */
export function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      out.push(path);
      if (entry.isDirectory()) walk(path);
    }
  };
  walk("");
  return out.sort();
}

/** The names of the man pages the project has: `man/quadlet.8.md` gives `quadlet.8`. */
export function manPageNames(): string[] {
  return readdirSync(join(ROOT, "man"))
    .filter((f) => f.endsWith(".md"))
    .map((f) => f.slice(0, -".md".length))
    .sort();
}
