/**
 * Runs a subcommand in-process against the real file system, collecting what it prints.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Subcommand } from "../../src/commands/context.js";
import { run as explain } from "../../src/commands/explain.js";
import { run as graph } from "../../src/commands/graph.js";
import { run as verify } from "../../src/commands/verify.js";
import { hostFs } from "../../src/fsys.js";

export const FIXTURES = resolve(__dirname, "../../fixtures/verify");

const COMMANDS = { verify, explain, graph };

export interface CommandRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** `quadlet NAME ARGS…` with only the environment given (no host search paths unless asked for). */
export async function runCommand(name: string, args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}): Promise<CommandRun> {
  // Imported directly: the lazy require() of src/commands/index.ts resolves in the bundle only.
  const command = (COMMANDS as Record<string, Subcommand | undefined>)[name];
  if (!command) throw new Error(`no subcommand ${name}`);
  let stdout = "";
  let stderr = "";
  const status = await command(args, {
    fs: hostFs,
    env: { QUADLET_UNIT_DIRS: "/nonexistent/quadlet-test", ...opts.env },
    uid: 1000,
    cwd: opts.cwd ?? FIXTURES,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
  });
  return { status, stdout, stderr };
}

/** A temp directory holding `files` (relative path → text); remove it with the returned function. */
export function tempTree(files: Record<string, string>): { root: string; remove: () => void } {
  const root = mkdtempSync(join(tmpdir(), "quadlet-cmd-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}
