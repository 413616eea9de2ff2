/**
 * The command line: parses arguments and wires the three phases together.
 *
 *   quadlet [-dryrun] [-user] [-v] [-no-kmsg-log] [-version] [normal-dir [early-dir late-dir]]
 *
 * Flags are accepted Go-style (`-dryrun`) and GNU-style (`--dryrun`), since systemd and
 * podman's documentation use the former. This file is on the boot path: it parses the
 * generator's own flags by hand and loads the help text only when asked for.
 */
import { hostAccounts } from "./accounts.js";
import type { FileSystem } from "./fsys.js";
import { compileAll, type Compiled } from "./generator/index.js";
import type { Logger } from "./log.js";
import { discoverUnits } from "./parser/discover.js";
import { checkRenderable, dryRunText, installLinks, writeService, type InstallLink } from "./emit/output.js";
import type { UnitFile } from "./parser/unitfile.js";

export interface CliOptions {
  dryRun: boolean;
  user: boolean;
  verbose: boolean;
  noKmsgLog: boolean;
  version: boolean;
  help: boolean;
  /** normal-dir, early-dir, late-dir as systemd passes them; only the first is used. */
  dirs: string[];
}

const BOOLEAN_FLAGS: Record<string, keyof CliOptions> = {
  dryrun: "dryRun",
  user: "user",
  v: "verbose",
  verbose: "verbose",
  "no-kmsg-log": "noKmsgLog",
  version: "version",
  help: "help",
  h: "help",
};

/** Thrown for arguments quadlet does not understand. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Parses the arguments after the program name. */
export function parseArgs(args: readonly string[]): CliOptions {
  const opts: CliOptions = { dryRun: false, user: false, verbose: false, noKmsgLog: false, version: false, help: false, dirs: [] };
  let onlyPositional = false;
  for (const arg of args) {
    if (onlyPositional || !arg.startsWith("-") || arg === "-") {
      opts.dirs.push(arg);
      continue;
    }
    if (arg === "--") {
      onlyPositional = true;
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const name = eq === -1 ? body : body.slice(0, eq);
    const flag = BOOLEAN_FLAGS[name];
    if (!flag) throw new UsageError(`unknown flag ${arg}; run quadlet --help for the list`);
    let value = true;
    if (eq !== -1) {
      const v = body.slice(eq + 1).toLowerCase();
      if (["1", "t", "true", "yes"].includes(v)) value = true;
      else if (["0", "f", "false", "no"].includes(v)) value = false;
      else throw new UsageError(`invalid value "${body.slice(eq + 1)}" for flag -${name}: use true or false`);
    }
    (opts[flag] as boolean) = value;
  }
  return opts;
}

/** Whether the program was started under a name that asks for user mode (`…user-generator`). */
export function userModeFromName(invokedAs: string): boolean {
  const base = invokedAs.slice(invokedAs.lastIndexOf("/") + 1);
  return base.includes("user");
}

export interface RunEnvironment {
  fs: FileSystem;
  env: Readonly<Record<string, string | undefined>>;
  uid: number;
  log: Logger;
  stdout: (text: string) => void;
}

/** Runs the generator; returns the exit status. One unit's failure never stops the others. */
export function runGenerator(opts: CliOptions, run: RunEnvironment): number {
  const { fs, log } = run;
  let failed = false;
  const fail = (message: string): void => {
    failed = true;
    log.error(message);
  };
  if (!opts.dryRun) {
    if (opts.dirs.length < 1) {
      fail("missing output directory argument");
      return 1;
    }
    log.debug(`Starting quadlet-generator, output to: ${opts.dirs[0]}`);
  }

  let found;
  try {
    found = discoverUnits({ userMode: opts.user, env: run.env, uid: run.uid }, fs, log);
  } catch (err) {
    fail(`internal error while looking for unit files: ${errorText(err)}`);
    return 1;
  }
  found.errors.forEach(fail);
  if (found.units.length === 0) {
    log.debug(`No files parsed from [${found.searchPaths.join(" ")}]`);
    return failed ? 1 : 0;
  }

  const podman = run.env.PODMAN || "/usr/bin/podman";
  const results = compileAll(found.units, { userMode: opts.user, podman, accounts: hostAccounts(fs) });
  const outDir = opts.dirs[0];
  if (!opts.dryRun && outDir !== undefined) {
    try {
      fs.mkdirp(outDir);
    } catch (err) {
      fail(`cannot create the output directory ${outDir}: ${errorText(err)}`);
      return 1;
    }
  }
  const owners = serviceOwners(results);
  for (const result of results) {
    try {
      reportWarnings(result, log);
      if (!result.ok) {
        result.errors.forEach(fail);
        continue;
      }
      const problem = emitService(result.source, result.service.unit, owners, opts, run);
      if (problem) fail(problem);
    } catch (err) {
      // A bug of ours: reported for this unit only, and the run goes on.
      fail(`internal error while generating from "${result.source.path || result.source.filename}": ${errorText(err)}`);
    }
  }
  return failed ? 1 : 0;
}

/**
 * Which quadlet file produces each service file. When two do (`web.container` and
 * `web.kube` both make `web.service`), the last one wins, as in podman's quadlet.
 */
function serviceOwners(results: readonly Compiled[]): Map<string, UnitFile> {
  const owners = new Map<string, UnitFile>();
  for (const r of results) {
    if (r.ok) owners.set(r.service.unit.filename, r.source);
  }
  return owners;
}

/**
 * Checks and writes (or prints, with -dryrun) one service and its links; returns the error
 * that stopped it, if any. A service whose name a later file also produces is not written
 * at all (only the winner is, so even a run killed half-way never leaves the loser's
 * text), with a warning; a link that would replace another unit's file is an error.
 */
function emitService(source: UnitFile, service: UnitFile, owners: Map<string, UnitFile>, opts: CliOptions, run: RunEnvironment): string | undefined {
  const converting = `converting "${source.filename}"`;
  const owner = owners.get(service.filename);
  if (owner !== source) {
    run.log.info(`Warning: ${converting}: not written, because ${owner?.path} also generates ${service.filename} and the last file of a name wins`);
    return undefined;
  }
  let links: InstallLink[];
  try {
    checkRenderable(service);
    links = installLinks(service);
  } catch (err) {
    return `${converting}: ${errorText(err)}`;
  }
  for (const { link } of links) {
    const other = owners.get(link);
    if (other !== undefined && other !== source) return `${converting}: the [Install] link ${link} would replace the ${link} generated from ${other.path}`;
  }
  for (const { link } of links) owners.set(link, source);
  if (opts.dryRun) {
    run.stdout(dryRunText(service));
    return undefined;
  }
  try {
    writeService(run.fs, opts.dirs[0]!, service, links);
  } catch (err) {
    return `writing "${service.filename}" (from ${source.path}): ${errorText(err)}`;
  }
  return undefined;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function reportWarnings(result: Compiled, log: Logger): void {
  const warnings = [...result.source.warnings, ...(result.ok ? result.service.warnings : result.warnings)];
  for (const w of new Set(warnings)) log.info(`Warning: ${w}`);
}
