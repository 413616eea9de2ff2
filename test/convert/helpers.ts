/**
 * Helpers for the convert tests: run `quadlet convert` in-process on real files, compile
 * what it wrote as the generator would, and read each service's `podman run` words.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run as convert } from "../../src/commands/convert.js";
import { VALUE_FLAGS } from "../../src/convert/run-flag-names.js";
import { hostFs } from "../../src/fsys.js";
import type { UnitFile } from "../../src/parser/unitfile.js";
import { compileFiles, execWords } from "../helpers.js";

export const FIXTURES = join(__dirname, "..", "..", "fixtures", "convert");

export interface ConvertRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `quadlet convert ARGS` in `cwd` with `env`, as the CLI would. */
export async function runConvert(args: string[], cwd: string, env: Record<string, string> = {}, uid = 1000): Promise<ConvertRun> {
  let stdout = "";
  let stderr = "";
  const status = await convert(args, { fs: hostFs, env, uid, cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `quadlet-${prefix}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The files of a directory, by name. */
export function readTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) out[name] = readFileSync(join(dir, name), "utf8");
  return out;
}

/** Splits a `.quadlets` text into its units, by `# FileName=` (the extension from the section). */
export function splitQuadlets(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const ext: Record<string, string> = { Container: "container", Volume: "volume", Network: "network", Pod: "pod", Build: "build" };
  for (const part of text.split(/^---\n/m)) {
    const name = /^# FileName=(.+)$/m.exec(part)?.[1];
    const section = /^\[(Container|Volume|Network|Pod|Build)\]$/m.exec(part)?.[1];
    if (!name || !section) throw new Error(`a unit without FileName or quadlet section:\n${part}`);
    out[`${name}.${ext[section]}`] = part;
  }
  return out;
}

/** What a `podman run` command line says: the things a stack's behaviour depends on. */
export interface RunSpec {
  name: string;
  image: string;
  publish: string[];
  env: Record<string, string>;
  volumes: string[];
  networks: string[];
  aliases: string[];
  sdnotify: string;
  command: string[];
  flags: string[][];
}

/** systemd's own unescaping of an Exec word: `$$` is `$`, `%%` is `%`. */
function systemdWord(w: string): string {
  return w.replace(/\$\$/g, "$").replace(/%%/g, "%");
}

/** Reads the words of the service's `ExecStart=` podman run command. */
export function runSpecOf(service: UnitFile): RunSpec {
  const words = execWords(service).map(systemdWord);
  const at = words.indexOf("run");
  const spec: RunSpec = { name: "", image: "", publish: [], env: {}, volumes: [], networks: [], aliases: [], sdnotify: "", command: [], flags: [] };
  let i = at + 1;
  for (; i < words.length && words[i]!.startsWith("-"); i++) {
    const w = words[i]!;
    const eq = w.indexOf("=");
    let name = eq === -1 ? w : w.slice(0, eq);
    if (name === "-v") name = "--volume";
    if (name === "-d") name = "--detach";
    const value = eq !== -1 ? w.slice(eq + 1) : VALUE_FLAGS.has(name) ? words[++i]! : undefined;
    spec.flags.push(value === undefined ? [name] : [name, value]);
    if (value === undefined) continue;
    if (name === "--name") spec.name = value;
    else if (name === "--publish") spec.publish.push(value);
    else if (name === "--env") spec.env[value.slice(0, value.indexOf("="))] = value.slice(value.indexOf("=") + 1);
    else if (name === "--volume") spec.volumes.push(value);
    else if (name === "--network") spec.networks.push(value);
    else if (name === "--network-alias") spec.aliases.push(value);
    else if (name === "--sdnotify") spec.sdnotify = value;
  }
  spec.image = words[i]!;
  spec.command = words.slice(i + 1);
  return spec;
}

/** Compiles the units in `files` as the generator would; fails on any error. */
export function compileUnits(files: Record<string, string>): Map<string, UnitFile> {
  const { services, errors } = compileFiles(files, { userMode: true });
  if (errors.size > 0) throw new Error(`units failed to compile: ${JSON.stringify([...errors])}`);
  return services;
}

/** The values of a [Unit] key of a service (`Requires`), split into unit names. */
export function unitList(service: UnitFile, key: string): string[] {
  return service.lookupAll("Unit", key).flatMap((v) => v.split(/\s+/)).filter((v) => v !== "");
}
