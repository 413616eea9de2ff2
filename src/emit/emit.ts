/**
 * Phase 3's driver: every compiled unit either reported (errors, warnings) or written
 * (printed, with -dryrun) with its [Install] links. One unit's failure, or a bug of ours
 * while emitting it, never stops the others.
 */
import type { FileSystem } from "../fsys.js";
import type { Compiled } from "../generator/index.js";
import type { Logger } from "../log.js";
import type { UnitFile } from "../parser/unitfile.js";
import { dryRunText, installLinks, renderChecked, writeService, type InstallLink } from "./output.js";

/** Where and how services are emitted. */
export interface EmitTarget {
  dryRun: boolean;
  /** The generator directory; unused in a dry run. */
  outDir: string;
  fs: FileSystem;
  log: Logger;
  stdout: (text: string) => void;
  /** Reports a unit that could not be generated (and makes the exit status 1). */
  fail: (message: string) => void;
}

/**
 * Emits results as they are compiled (see compileInBatches), so that no more than one
 * batch of generated services is alive at a time. `owners` names the file that makes each
 * service file (the last one of a name, as in podman's quadlet), known in advance; within a
 * batch, the last result that succeeded owns its service name, so a file that failed never
 * keeps an earlier one of that name from being written.
 */
export function emitBatches(owners: Map<string, UnitFile>, batches: Iterable<readonly Compiled[]>, target: EmitTarget): void {
  const run: EmitRun = { owners, madeDirs: new Set() };
  for (const batch of batches) {
    for (const result of batch) if (result.ok) owners.set(result.service.unit.filename, result.source);
    for (const result of batch) emitResult(result, run, target);
  }
}

/** What one run of {@link emitBatches} keeps from one service to the next. */
interface EmitRun {
  /** The file that makes each service file or link (see {@link emitBatches}). */
  owners: Map<string, UnitFile>;
  /** Link directories already made in the output directory. */
  madeDirs: Set<string>;
}

function emitResult(result: Compiled, run: EmitRun, target: EmitTarget): void {
  try {
    reportWarnings(result, target.log);
    if (!result.ok) {
      result.errors.forEach(target.fail);
      return;
    }
    const problem = emitService(result.source, result.service.unit, run, target);
    if (problem) target.fail(problem);
  } catch (err) {
    // A bug of ours: reported for this unit only, and the run goes on.
    target.fail(`internal error while generating from "${result.source.path || result.source.filename}": ${errorText(err)}`);
  }
}

/**
 * Checks and writes (or prints, with -dryrun) one service and its links; returns the error
 * that stopped it, if any. A service whose name a later file also produces is not written
 * at all (only the winner is, so even a run killed half-way never leaves the loser's
 * text), with a warning; a link that would replace another unit's file is an error.
 */
function emitService(source: UnitFile, service: UnitFile, run: EmitRun, target: EmitTarget): string | undefined {
  const converting = `converting "${source.filename}"`;
  const owners = run.owners;
  const owner = owners.get(service.filename);
  if (owner !== source) {
    target.log.info(`Warning: ${converting}: not written, because ${owner?.path} also generates ${service.filename} and the last file of a name wins`);
    return undefined;
  }
  let links: InstallLink[];
  let body: string;
  try {
    body = renderChecked(service);
    links = installLinks(service);
  } catch (err) {
    return `${converting}: ${errorText(err)}`;
  }
  for (let i = 0; i < links.length; i++) {
    const link = links[i]!.link;
    const other = owners.get(link);
    if (other !== undefined && other !== source) return `${converting}: the [Install] link ${link} would replace the ${link} that ${other.path} makes`;
  }
  for (let i = 0; i < links.length; i++) owners.set(links[i]!.link, source);
  if (target.dryRun) {
    target.stdout(dryRunText(service, body));
    return undefined;
  }
  try {
    writeService(target.fs, target.outDir, service, links, run.madeDirs, body);
  } catch (err) {
    return `writing "${service.filename}" (from ${source.path}): ${errorText(err)}`;
  }
  return undefined;
}

/** The message of anything thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function reportWarnings(result: Compiled, log: Logger): void {
  const own = result.ok ? result.service.warnings : result.warnings;
  // Most units have none: no lists or sets made for them.
  if (result.source.warnings.length === 0 && own.length === 0) return;
  for (const w of new Set([...result.source.warnings, ...own])) log.info(`Warning: ${w}`);
}
