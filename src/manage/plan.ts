/**
 * Deciding what an install may write: every file stays inside the install directory, no file
 * is overwritten without --replace, no unit name is taken twice, and every unit compiles as it
 * will be installed (with its drop-ins, next to the units already there).
 */
import type { Diagnostic } from "../analysis/index.js";
import type { CommandContext } from "../commands/context.js";
import { escapeProblem, isInside, resolveExisting, type Scope } from "./dirs.js";
import { dropinsOf, takeInventory, type InstalledUnit } from "./inventory.js";
import { previewFs } from "./preview.js";
import type { PlannedFile, SourceGroup } from "./sources.js";

/** A group's files with the absolute paths they go to, and what was found checking them. */
export interface CheckedGroup {
  readonly group: SourceGroup;
  readonly targets: { readonly file: PlannedFile; readonly path: string }[];
  /** Why the group is refused; empty when it may be written. */
  readonly problems: string[];
  /** The diagnostics of its units, files and lines as the user wrote them. */
  readonly diagnostics: Diagnostic[];
  /** Files that could not be read as unit files: `FILE:LINE: error: …` lines. */
  readonly loadErrors: string[];
  /** Notes that do not stop the install (a unit shadowed by another directory, …). */
  readonly notes: string[];
  /** Whether its units have errors (the group is refused for them unless forced). */
  hasErrors: boolean;
}

export interface PlanOptions {
  readonly replace: boolean;
  readonly force: boolean;
}

/** Checks every group; the ones left without problems may be written. */
export function checkGroups(ctx: CommandContext, scope: Scope, groups: readonly SourceGroup[], opts: PlanOptions): CheckedGroup[] {
  const checked = groups.map((group) => placeGroup(ctx, scope, group, opts));
  refuseClashes(ctx, scope, checked);
  // Verify against the others that will be written; a group refused for its errors changes
  // what the rest refer to, so verify again until nothing more is refused.
  for (let round = 0; round <= checked.length; round++) {
    const live = checked.filter((c) => c.problems.length === 0);
    const newlyRefused = verifyGroups(ctx, scope, live, opts);
    if (!newlyRefused) break;
  }
  return checked;
}

/** Where each file of the group goes, and whether it may go there. */
function placeGroup(ctx: CommandContext, scope: Scope, group: SourceGroup, opts: PlanOptions): CheckedGroup {
  const problems = [...group.errors];
  const targets: CheckedGroup["targets"] = [];
  for (const file of group.files) {
    const escape = escapeProblem(ctx.fs, scope.installDir, file.rel);
    if (escape) {
      problems.push(`${file.source}: refused: ${escape}`);
      continue;
    }
    const slash = file.rel.lastIndexOf("/");
    const dir = slash === -1 ? scope.installDir : resolveExisting(ctx.fs, `${scope.installDir}/${file.rel.slice(0, slash)}`);
    const path = `${dir}/${file.rel.slice(slash + 1)}`;
    if (!opts.replace && ctx.fs.lstat?.(path) !== undefined) problems.push(`${path} already exists; use --replace to overwrite it`);
    targets.push({ file, path });
  }
  return { group, targets, problems, diagnostics: [], loadErrors: [], notes: [...group.notes], hasErrors: false };
}

/** Refuses a file planned twice, and a unit whose name is already installed at another path. */
function refuseClashes(ctx: CommandContext, scope: Scope, checked: CheckedGroup[]): void {
  const installed = new Map<string, string>();
  // Only the install directory counts: a unit of the same name elsewhere (a vendor's, in
  // /usr/share) is one an administrator may mean to override.
  for (const u of takeInventory(ctx, scope).units) if (!installed.has(u.name) && isInside(u.path, scope.installDir)) installed.set(u.name, u.path);
  const planned = new Map<string, string>();
  for (const c of checked) {
    for (const { file, path } of c.targets) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      const twice = planned.get(path) ?? (file.isUnit ? planned.get(name) : undefined);
      if (twice !== undefined) c.problems.push(`${file.source}: ${name} is also installed from ${twice}; a name can be installed once`);
      planned.set(path, file.source);
      if (!file.isUnit) continue;
      planned.set(name, file.source);
      const other = installed.get(name);
      if (other !== undefined && other !== path) {
        c.problems.push(`${file.source}: a unit named ${name} is already installed at ${other}; remove it first (quadlet rm ${name}) or give this one another name`);
      }
    }
  }
}

/** Verifies the units of `live` as installed together; returns whether any group was newly refused. */
function verifyGroups(ctx: CommandContext, scope: Scope, live: CheckedGroup[], opts: PlanOptions): boolean {
  const planned = new Map<string, Uint8Array>();
  const origins = new Map<string, PlannedFile>();
  for (const c of live) {
    for (const t of c.targets) {
      planned.set(t.path, t.file.data);
      origins.set(t.path, t.file);
    }
  }
  const inventory = takeInventory(ctx, scope, previewFs(ctx.fs, planned));
  const byPath = new Map(inventory.units.map((u) => [u.path, u]));
  const byName = new Map<string, InstalledUnit>();
  for (const u of inventory.units) if (!byName.has(u.name)) byName.set(u.name, u);
  let refused = false;
  for (const c of live) {
    c.diagnostics.length = 0;
    c.loadErrors.length = 0;
    c.notes.splice(0, c.notes.length, ...c.group.notes);
    c.hasErrors = false;
    const paths = new Set(c.targets.map((t) => t.path));
    for (const t of c.targets) {
      if (!t.file.isUnit) continue;
      if (!byPath.has(t.path)) c.notes.push(notReadNote(t.path, byName.get(t.path.slice(t.path.lastIndexOf("/") + 1)), inventory.searchPaths));
    }
    // The group's own units, and the units its drop-ins change.
    const affected = inventory.units.filter((u) => paths.has(u.path) || dropinsOf(u).some((d) => paths.has(d)) || mentionsAny(u.loadError, paths));
    for (const found of affected) {
      if (found.loadError !== undefined) c.loadErrors.push(loadErrorLine(found.loadError, origins));
      const diags = diagnosticsOf(found, origins);
      c.diagnostics.push(...diags);
      if (found.loadError !== undefined || diags.some((d) => d.severity === "error") || found.analyzed?.status === "error") c.hasErrors = true;
    }
    if (c.hasErrors && !opts.force) {
      c.problems.push(`not installed: ${c.group.label} has units with errors (see above); fix them, or use --force to install anyway`);
      refused = true;
    }
  }
  return refused;
}

/** Whether a load error names one of `paths` (a drop-in that cannot be parsed fails its unit). */
function mentionsAny(text: string | undefined, paths: ReadonlySet<string>): boolean {
  if (text === undefined) return false;
  for (const p of paths) if (text.includes(p)) return true;
  return false;
}

function notReadNote(path: string, winner: InstalledUnit | undefined, searchPaths: readonly string[]): string {
  if (winner) return `${path} will not be used: ${winner.path} has the same name and is read first`;
  return `${path} is not in a directory the generator reads (${searchPaths.join(", ") || "none"})`;
}

const WHERE = /^(.*?):(\d+): ([^]*)$/;

/** A file that could not be parsed, as `FILE:LINE: error: …` with the file and line the user wrote. */
function loadErrorLine(message: string, origins: ReadonlyMap<string, PlannedFile>): string {
  const m = WHERE.exec(message);
  const origin = m ? origins.get(m[1]!) : undefined;
  if (!m || !origin) return `error: ${message}`;
  const line = Number(m[2]);
  return `${origin.source}${line > 0 ? `:${line + origin.lineOffset}` : ""}: error: ${m[3]}`;
}

/** The unit's diagnostics, each naming the file and line the user wrote (a `.quadlets` part's own line). */
function diagnosticsOf(u: InstalledUnit, origins: ReadonlyMap<string, PlannedFile>): Diagnostic[] {
  return (u.analyzed?.diagnostics ?? []).map((d) => {
    const origin = origins.get(d.file);
    if (!origin) return d;
    const message = d.message.split(d.file).join(origin.source);
    return { ...d, file: origin.source, message, ...(d.line !== undefined ? { line: d.line + origin.lineOffset } : {}) };
  });
}
