/**
 * `quadlet convert compose` and `quadlet convert run`: a compose project, or a
 * `podman run` command line, as quadlet units, verified by compiling them before they are
 * printed or written.
 */
import type { CommandContext, Subcommand } from "./context.js";
import { hasErrors } from "../analysis/diagnostic.js";
import { absolute, loadProject } from "../convert/compose.js";
import { formatAll, outputFiles, verifyUnits, writeFiles, type Format } from "../convert/output.js";
import { convertProject } from "../convert/project.js";
import { ConvertFailure, Report } from "../convert/report.js";
import { convertRun } from "../convert/run.js";
import type { OutUnit } from "../convert/units.js";

const USAGE = `Usage:
  quadlet convert compose [-f FILE]... [-p NAME] [--profile NAME]... [--pod] [OUTPUT]
  quadlet convert run [OUTPUT] -- podman run [FLAGS] IMAGE [COMMAND]...

Output options:
  -o, --output DIR      write the units into DIR (default: print them)
  --format FORMAT       files (one file a unit, the default with -o) or quadlets
                        (one .quadlets file, units separated by ---)
  --force               replace files that exist already in DIR
  --explain             before each key, a comment naming the line it came from
`;

interface Options {
  files: string[];
  profiles: string[];
  project?: string;
  pod: boolean;
  outDir?: string;
  format?: Format;
  force: boolean;
  explain: boolean;
  help: boolean;
  /** For `run`: the words after `--`. */
  rest: string[];
}

class UsageError extends Error {}

const WITH_VALUE: Readonly<Record<string, "files" | "profiles" | "project" | "outDir" | "format">> = {
  "-f": "files", "--file": "files", "--profile": "profiles", "-p": "project", "--project-name": "project",
  "-o": "outDir", "--output": "outDir", "--format": "format",
};

function parseOptions(args: readonly string[]): Options {
  const o: Options = { files: [], profiles: [], pod: false, force: false, explain: false, help: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      o.rest = args.slice(i + 1);
      break;
    }
    const eq = arg.startsWith("--") ? arg.indexOf("=") : -1;
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const target = WITH_VALUE[name];
    if (target) {
      const value = eq === -1 ? args[++i] : arg.slice(eq + 1);
      if (value === undefined) throw new UsageError(`${name} needs a value`);
      if (target === "files" || target === "profiles") o[target].push(value);
      else if (target === "format") {
        if (value !== "files" && value !== "quadlets") throw new UsageError(`--format ${value}: expected files or quadlets`);
        o.format = value;
      } else o[target] = value;
    } else if (arg === "--pod") o.pod = true;
    else if (arg === "--force") o.force = true;
    else if (arg === "--explain") o.explain = true;
    else if (arg === "-h" || arg === "--help") o.help = true;
    else throw new UsageError(`unknown option ${arg}`);
  }
  return o;
}

/** Verifies the units and prints or writes them; the exit status. */
function finish(units: readonly OutUnit[], bundleName: string, o: Options, report: Report, ctx: CommandContext): number {
  const outDir = o.outDir === undefined ? undefined : absolute(o.outDir, ctx.cwd);
  const userMode = ctx.uid !== 0;
  const verification = report.hasErrors() ? [] : verifyUnits(units, outDir ?? ctx.cwd, userMode);
  const all = [...report.diagnostics, ...verification];
  if (all.length > 0) ctx.stderr(formatAll(all));
  if (hasErrors(all)) {
    ctx.stderr(`quadlet convert: nothing was ${outDir ? "written" : "printed"}: the errors above must be fixed first\n`);
    return 1;
  }
  // printed, the units are one .quadlets text; written, one file each unless asked otherwise
  const format = o.format ?? (outDir ? "files" : "quadlets");
  const files = outputFiles(units, { format, bundleName, explain: o.explain });
  if (!outDir) {
    for (const text of files.values()) ctx.stdout(text);
    return 0;
  }
  const problems = writeFiles(ctx.fs, outDir, files, o.force);
  if (problems.length > 0) {
    ctx.stderr(problems.map((p) => `quadlet convert: ${p}\n`).join(""));
    return 1;
  }
  ctx.stdout([...files.keys()].map((name) => `${outDir}/${name}\n`).join(""));
  return 0;
}

function convertCompose(o: Options, ctx: CommandContext): number {
  if (o.rest.length > 0) throw new UsageError(`unexpected arguments after --: ${o.rest.join(" ")}`);
  const report = new Report();
  const project = loadProject({ files: o.files, profiles: o.profiles, env: ctx.env, cwd: ctx.cwd, fs: ctx.fs, ...(o.project !== undefined ? { projectName: o.project } : {}) }, report);
  const units = convertProject(project, { pod: o.pod }, report);
  return finish(units, project.name, o, report, ctx);
}

function convertRunCommand(o: Options, ctx: CommandContext): number {
  if (o.files.length || o.profiles.length || o.project !== undefined || o.pod) throw new UsageError("-f, -p, --profile and --pod are options of convert compose");
  if (o.rest.length === 0) throw new UsageError("convert run needs the command after --: quadlet convert run -- podman run IMAGE");
  const report = new Report();
  const converted = convertRun(o.rest, "command line", report);
  if (!converted) {
    ctx.stderr(formatAll(report.diagnostics));
    return 1;
  }
  return finish([converted.unit], converted.name, o, report, ctx);
}

export const run: Subcommand = (args, ctx) => {
  const [what, ...rest] = args;
  try {
    const o = parseOptions(rest);
    if (o.help || what === "-h" || what === "--help" || what === undefined) {
      (what === undefined ? ctx.stderr : ctx.stdout)(USAGE);
      return what === undefined ? 2 : 0;
    }
    if (what === "compose") return convertCompose(o, ctx);
    if (what === "run") return convertRunCommand(o, ctx);
    throw new UsageError(`unknown conversion "${what}": expected compose or run`);
  } catch (err) {
    if (err instanceof UsageError) {
      ctx.stderr(`quadlet convert: ${err.message}\n${USAGE}`);
      return 2;
    }
    if (err instanceof ConvertFailure) {
      ctx.stderr(`quadlet convert: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
};
