/**
 * The command line: parses arguments and wires the three phases together.
 *
 *   quadlet [-dryrun] [-user] [-v] [-no-kmsg-log] [-version] [-podman-version X.Y[.Z]] [normal-dir [early-dir late-dir]]
 *
 * Flags are accepted Go-style (`-dryrun`) and GNU-style (`--dryrun`), since systemd and
 * podman's documentation use the former. This file is on the boot path: it parses the
 * generator's own flags by hand and loads the help text only when asked for.
 */
import { hostAccounts } from "./accounts.js";
import type { FileSystem } from "./fsys.js";
import { compileInBatches, readyToConvert } from "./generator/index.js";
import type { Logger } from "./log.js";
import { discoverUnits } from "./parser/discover.js";
import { emitBatches, errorText, type EmitTarget } from "./emit/emit.js";
import { installedPodmanVersion } from "./target/installed.js";
import { compareVersions, needsRetargeting, OLDEST_PODMAN, parsePodmanVersion, type PodmanTarget, type PodmanVersion } from "./target/version.js";

export interface CliOptions {
  dryRun: boolean;
  user: boolean;
  verbose: boolean;
  noKmsgLog: boolean;
  version: boolean;
  help: boolean;
  /** normal-dir, early-dir, late-dir as systemd passes them; only the first is used. */
  dirs: string[];
  /** `-podman-version X.Y[.Z]`: the podman release to write units for. */
  podmanVersion?: PodmanVersion;
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

/** A flag as written: `-name`, `--name` or `--name=value` (then `inline` is the value). */
export interface FlagArg {
  readonly arg: string;
  readonly name: string;
  readonly inline: string | undefined;
  /** The flag's value: `inline`, else the next argument (taken, so it is not read again). */
  value(): string | undefined;
}

/**
 * Reads arguments as quadlet and its subcommands take them: flags with one dash or two,
 * `--` ending the flags, and every other word positional. Calls `flag` or `positional` for
 * each, in order.
 */
export function readArgs(args: readonly string[], flag: (f: FlagArg) => void, positional: (word: string) => void): void {
  let onlyPositional = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (onlyPositional || !arg.startsWith("-") || arg === "-") {
      positional(arg);
      continue;
    }
    if (arg === "--") {
      onlyPositional = true;
      continue;
    }
    const body = arg.replace(/^--?/, "");
    const eq = body.indexOf("=");
    const inline = eq === -1 ? undefined : body.slice(eq + 1);
    flag({ arg, name: eq === -1 ? body : body.slice(0, eq), inline, value: () => (inline !== undefined ? inline : args[++i]) });
  }
}

/** Parses the arguments after the program name. */
export function parseArgs(args: readonly string[]): CliOptions {
  const opts: CliOptions = { dryRun: false, user: false, verbose: false, noKmsgLog: false, version: false, help: false, dirs: [] };
  readArgs(
    args,
    (f) => {
      if (f.name === PODMAN_VERSION_FLAG) {
        opts.podmanVersion = podmanVersionArg(f.value());
        return;
      }
      const flag = BOOLEAN_FLAGS[f.name];
      if (!flag) throw new UsageError(`unknown flag ${f.arg}; run quadlet --help for the list`);
      (opts[flag] as boolean) = booleanFlagValue(f);
    },
    (word) => opts.dirs.push(word),
  );
  return opts;
}

/** `-flag` is true; `-flag=VALUE` takes Go's boolean words. */
function booleanFlagValue(f: FlagArg): boolean {
  if (f.inline === undefined) return true;
  const v = f.inline.toLowerCase();
  if (["1", "t", "true", "yes"].includes(v)) return true;
  if (["0", "f", "false", "no"].includes(v)) return false;
  throw new UsageError(`invalid value "${f.inline}" for flag -${f.name}: use true or false`);
}

const PODMAN_VERSION_FLAG = "podman-version";

/** The value of `-podman-version`: `X.Y` or `X.Y.Z`. */
export function podmanVersionArg(text: string | undefined): PodmanVersion {
  if (text === undefined) throw new UsageError(`-${PODMAN_VERSION_FLAG} needs a version, such as 4.3.1`);
  const version = parsePodmanVersion(text);
  if (!version || version.text !== text.trim().replace(/^v/, "")) {
    throw new UsageError(`invalid value "${text}" for flag -${PODMAN_VERSION_FLAG}: use a podman version, such as 4.3 or 4.3.1`);
  }
  return version;
}

/**
 * The podman release units are written for: `-podman-version`, else QUADLET_PODMAN_VERSION,
 * else the installed podman's (see installed.ts), else none (the newest). A bad
 * QUADLET_PODMAN_VERSION is reported and the newest podman targeted.
 */
export function targetPodman(opts: Pick<CliOptions, "podmanVersion">, run: Pick<RunEnvironment, "env" | "fs">, podman: string, fail: (message: string) => void): PodmanTarget | undefined {
  if (opts.podmanVersion) return notTooOld({ version: opts.podmanVersion, source: "given" }, fail);
  const fromEnv = run.env.QUADLET_PODMAN_VERSION;
  if (fromEnv) {
    try {
      return notTooOld({ version: podmanVersionArg(fromEnv), source: "given" }, fail);
    } catch {
      fail(`QUADLET_PODMAN_VERSION="${fromEnv}" is not a podman version, such as 4.3 or 4.3.1; writing units for the newest podman`);
      return undefined;
    }
  }
  const installed = installedPodmanVersion(run.fs, podman);
  return installed && notTooOld({ version: installed, source: "installed" }, fail);
}

/**
 * A release older than any quadlet knows is reported (the exit status says so), and units
 * are written for the oldest it knows, the nearest it can do.
 */
function notTooOld(target: PodmanTarget, fail: (message: string) => void): PodmanTarget {
  if (compareVersions(target.version, OLDEST_PODMAN) >= 0) return target;
  fail(`podman ${target.version.text} is older than ${OLDEST_PODMAN.text}, the oldest release quadlet writes units for; writing units for podman ${OLDEST_PODMAN.text}`);
  return { version: OLDEST_PODMAN, source: target.source };
}

/** One line of usage, for the errors below. */
export const USAGE = "usage: quadlet [-dryrun] [-user] [-v] [-no-kmsg-log] normal-dir [early-dir late-dir]\n       quadlet verify|explain|graph ... (see quadlet --help)";

/**
 * The generator's directories as systemd passes them: absolute, and directories (or not yet
 * there). Without one, only a dry run makes sense. A file or a relative name is a mistake
 * (`quadlet -dryrun web.container`, `quadlet verify` before it was a subcommand), never a
 * place to write.
 */
export function checkGeneratorDirs(opts: CliOptions, fs: Pick<FileSystem, "isDirectory" | "readFile">): void {
  if (opts.dirs.length === 0 && !opts.dryRun) throw new UsageError(`missing output directory\n${USAGE}`);
  for (const dir of opts.dirs) {
    if (!dir.startsWith("/")) throw new UsageError(`${dir}: not an absolute directory path; to check unit files, run quadlet verify PATH\n${USAGE}`);
    if (!fs.isDirectory(dir) && isThere(fs, dir)) throw new UsageError(`${dir}: not a directory; to check unit files, run quadlet verify PATH\n${USAGE}`);
  }
}

function isThere(fs: Pick<FileSystem, "readFile">, path: string): boolean {
  try {
    fs.readFile(path);
    return true;
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    return code !== "ENOENT" && code !== "ENOTDIR";
  }
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
  /**
   * Called once the units are found and the code to convert them is loaded, with how many
   * there are: the process may tune itself for a long run (src/tune.ts). Tests pass none.
   */
  beforeConverting?: (unitCount: number) => void;
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
  const podmanTarget = targetPodman(opts, run, podman, fail);
  if (needsRetargeting(podmanTarget)) log.debug(`Writing units for podman ${podmanTarget.version.text} (${podmanTarget.source === "given" ? "as asked" : "installed"})`);
  readyToConvert(podmanTarget, found.units.length, run.beforeConverting);
  // Compiled and emitted one unit at a time: see compileInBatches.
  const { services, batches } = compileInBatches(found.units, { userMode: opts.user, podman, accounts: hostAccounts(fs), ...(podmanTarget ? { target: podmanTarget } : {}) });
  const outDir = opts.dirs[0];
  if (!opts.dryRun && outDir !== undefined) {
    try {
      fs.mkdirp(outDir);
    } catch (err) {
      fail(`cannot create the output directory ${outDir}: ${errorText(err)}`);
      return 1;
    }
  }
  const target: EmitTarget = { dryRun: opts.dryRun, outDir: outDir ?? "", fs, log, stdout: run.stdout, fail };
  emitBatches(services, batches, target);
  return failed ? 1 : 0;
}
