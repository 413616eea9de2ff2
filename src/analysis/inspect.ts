/**
 * What `verify`, `explain` and `graph` share: load the units, analyze them in memory
 * (writing nothing), check the references between them, and attach every problem to the
 * unit it belongs to.
 */
import { hostAccounts } from "../accounts.js";
import { targetPodman } from "../cli.js";
import type { FileSystem } from "../fsys.js";
import { indexAll, readyToConvert, type CompileOptions } from "../generator/index.js";
import type { AccountLookup, UnitInfo } from "../generator/unit-type.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { AnalyzedUnit, Edge } from "./analysis.js";
import { CODES } from "./graph-codes.js";
import type { Diagnostic } from "./diagnostic.js";
import { graphProblems, type GraphUnit, type Where } from "./graph.js";
import { analyze, dropinsOf } from "./index.js";
import { loadUnitSets, PathError, type FileReport, type LoadRequest, type UnitSet } from "./load.js";
import type { CommandArgs } from "./args.js";
import type { CommandContext } from "../commands/context.js";
import type { PodmanVersion } from "../target/version.js";

/** What to inspect: the units of a load request, checked for a podman release. */
export interface InspectRequest extends LoadRequest {
  /** `-podman-version`: the release to check for; else as the generator decides (see offHostOptions). */
  readonly podmanVersion?: PodmanVersion;
  /**
   * When given, only the selected units it accepts are compiled (with those making the same
   * service): `verify FILE` and `explain NAME` need no other unit's service. The units left
   * out count for references, but not as compiling, so `graph` gives none.
   */
  readonly focus?: (unit: UnitFile) => boolean;
  /** See CommandContext.beforeConverting. */
  readonly beforeConverting?: (unitCount: number) => void;
}

/** The podman release asked for cannot be targeted (a bad QUADLET_PODMAN_VERSION, one too old). */
export class TargetError extends Error {
  override name = "TargetError";
}

/** Everything found about the units asked for. */
export interface Inspection {
  /** The units reported on, in search order, each with all its diagnostics. */
  readonly units: AnalyzedUnit[];
  /** Every unit loaded (also those only there to be referred to), for the graph. */
  readonly graphUnits: GraphUnit[];
  readonly edges: Edge[];
  /** Problems that belong to no unit that was loaded (a file that could not be parsed, …). */
  readonly problems: Diagnostic[];
  /** What was merged, shadowed and skipped, for a unit loaded (by its path). */
  report(path: string): FileReport | undefined;
  /** The loaded units themselves, by path, for `explain`. */
  readonly sources: ReadonlyMap<string, { unit: UnitFile; set: UnitSet }>;
  /** The options the units were compiled with. */
  readonly options: CompileOptions;
}

/**
 * The options off the target host: user and group names that this host does not know still
 * compile. The podman release is the generator's on this host: `-podman-version`, else
 * QUADLET_PODMAN_VERSION, else the installed podman's, else the newest; so the units are
 * checked exactly as the generator would write them here. Throws TargetError where the
 * generator would report the release and fall back to another.
 */
export function offHostOptions(req: InspectRequest, fs: FileSystem): CompileOptions {
  const podman = req.env.PODMAN || "/usr/bin/podman";
  const target = targetPodman(req.podmanVersion ? { podmanVersion: req.podmanVersion } : {}, { env: req.env, fs }, podman, (message) => {
    throw new TargetError(message.replace(/; writing units for .*$/, ""));
  });
  return { userMode: req.userMode, podman, accounts: lenientAccounts(hostAccounts(fs)), ...(target ? { target } : {}) };
}

/**
 * Host accounts where a name this host does not know is given id 0 rather than refused:
 * the units may be meant for another host. {@link unknownAccounts} reports each such name.
 */
function lenientAccounts(host: AccountLookup): AccountLookup {
  return { uid: (name) => host.uid(name) ?? 0, gid: (name) => host.gid(name) ?? 0 };
}

/** Loads, analyzes and checks the units of `req`; throws PathError for a PATH that does not exist. */
export function inspect(req: InspectRequest, fs: FileSystem): Inspection {
  const options = offHostOptions(req, fs);
  const host = hostAccounts(fs);
  const units: AnalyzedUnit[] = [];
  const graphUnits: GraphUnit[] = [];
  const edges: Edge[] = [];
  const problems: Diagnostic[] = [];
  const sources = new Map<string, { unit: UnitFile; set: UnitSet }>();
  const sets = loadUnitSets(req, fs);
  readyToConvert(options.target, sets.reduce((n, set) => n + set.units.length, 0), req.beforeConverting);
  for (const set of sets) {
    // One first pass over the set, for the analysis and the graph alike.
    const indexed = indexAll(set.units);
    const analysis = analyze(set.units, options, focusOf(set, req.focus), indexed);
    // By path: the analysis may give a unit's result later than its place (same service names).
    const byPath = new Map(analysis.units.map((u) => [u.path, u]));
    const nodes = graphUnitsOf(set.units, byPath, indexed.index);
    const between = graphProblems(nodes, analysis.edges);
    const owner = ownerOf(analysis.units, set.units);
    const extra = new Map<UnitFile, Diagnostic[]>();
    for (const d of [...between, ...unknownAccounts(set, host)]) {
      const unit = owner(d.file);
      if (unit) extra.set(unit, [...(extra.get(unit) ?? []), d]);
      else problems.push(d);
    }
    const nodeOf = new Map(nodes.map((n) => [n.path, n]));
    for (const unit of set.units) {
      sources.set(unit.path, { unit, set });
      const analyzed = byPath.get(unit.path);
      if (!set.selected.has(unit) || !analyzed) continue;
      // A unit that fails still has a service name, when its names are valid.
      const serviceFile = analyzed.serviceFile ?? nodeOf.get(unit.path)?.serviceFile;
      units.push(withDiagnostics({ ...analyzed, ...(serviceFile ? { serviceFile } : {}) }, extra.get(unit) ?? []));
    }
    problems.push(...set.problems, ...analysis.diagnostics);
    graphUnits.push(...nodes);
    edges.push(...analysis.edges);
  }
  const report = (path: string): FileReport | undefined => {
    const source = sources.get(path);
    return source && source.set.report(source.unit);
  };
  return { units, graphUnits, edges, problems, report, sources, options };
}

/** The units of `set` to compile, or undefined for all of them. */
function focusOf(set: UnitSet, focus: InspectRequest["focus"]): Set<UnitFile> | undefined {
  if (!focus) return undefined;
  const out = new Set<UnitFile>();
  for (const unit of set.units) if (set.selected.has(unit) && focus(unit)) out.add(unit);
  return out.size === set.units.length ? undefined : out;
}

/**
 * {@link inspect} for subcommand `name` with the mode and podman release of its arguments; a
 * PATH that does not exist, or a release that cannot be targeted, is printed on stderr and
 * gives status 2.
 */
export function inspectFor(name: string, parsed: CommandArgs, paths: readonly string[], ctx: CommandContext, focus?: InspectRequest["focus"]): Inspection | number {
  try {
    const version = parsed.podmanVersion ? { podmanVersion: parsed.podmanVersion } : {};
    const tune = ctx.beforeConverting ? { beforeConverting: ctx.beforeConverting } : {};
    return inspect({ userMode: parsed.user, env: ctx.env, uid: ctx.uid, cwd: ctx.cwd, paths, ...version, ...(focus ? { focus } : {}), ...tune }, ctx.fs);
  } catch (err) {
    if (!(err instanceof PathError) && !(err instanceof TargetError)) throw err;
    ctx.stderr(`quadlet ${name}: ${err.message}\n`);
    return 2;
  }
}

/** Which unit a file belongs to: the unit file itself or one of its drop-ins. */
function ownerOf(analyzed: readonly AnalyzedUnit[], units: readonly UnitFile[]): (file: string) => UnitFile | undefined {
  const unitAt = new Map(units.map((u) => [u.path, u]));
  const byFile = new Map<string, UnitFile>();
  for (const a of analyzed) {
    const unit = unitAt.get(a.path);
    if (unit) for (const f of [a.path, ...a.dropins]) if (!byFile.has(f)) byFile.set(f, unit);
  }
  // A unit left out of the analysis (see InspectRequest.focus) still owns its files.
  if (analyzed.length < units.length) {
    for (const unit of units) for (const f of [unit.path, ...dropinsOf(unit)]) if (!byFile.has(f)) byFile.set(f, unit);
  }
  return (file) => byFile.get(file);
}

/** The graph's view of each unit: its service and podman names, as the generator's index has them. */
function graphUnitsOf(units: readonly UnitFile[], analyzed: ReadonlyMap<string, AnalyzedUnit>, index: ReadonlyMap<string, UnitInfo>): GraphUnit[] {
  const out: GraphUnit[] = [];
  // A plain loop and plain objects: this runs once per unit, before the JIT has warmed up.
  for (const unit of units) {
    const info = index.get(unit.filename);
    const kind = unit.extension.slice(1);
    const group = info?.type.group ?? "";
    const node: { -readonly [K in keyof GraphUnit]: GraphUnit[K] } = { name: unit.filename, path: unit.path, ok: analyzed.get(unit.path)?.status === "ok" };
    if (info) node.serviceFile = `${info.serviceName}.service`;
    if (info?.resourceName !== undefined && info.unit === unit) node.resource = { kind, name: info.resourceName };
    const serviceAt = whereSet(unit, group, "ServiceName");
    if (serviceAt) node.serviceAt = serviceAt;
    const resourceKey = RESOURCE_KEYS[kind];
    const resourceAt = resourceKey ? whereSet(unit, group, resourceKey) : undefined;
    if (resourceAt) node.resourceAt = resourceAt;
    out.push(node);
  }
  return out;
}

/** The keys that name the podman object a unit makes. */
const RESOURCE_KEYS: Record<string, string> = { container: "ContainerName", pod: "PodName", volume: "VolumeName", network: "NetworkName" };

function whereSet(unit: UnitFile, group: string, key: string): Where | undefined {
  const origin = key ? unit.lookupLine(group, key)?.origin : undefined;
  return origin ? { file: origin.file, line: origin.line, key } : undefined;
}

/**
 * The unit with its drop-ins and every diagnostic, in file and line order. A reference the
 * compiler already reported as an error on that line is not reported twice; a template
 * reference there is kept as a note, for what it says works instead.
 */
function withDiagnostics(unit: AnalyzedUnit, extra: readonly Diagnostic[]): AnalyzedUnit {
  // Most units have nothing to report and one drop-in at most: nothing to sort or merge.
  if (extra.length === 0 && unit.diagnostics.length === 0 && unit.dropins.length < 2) return unit;
  const errorAt = new Set(unit.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.file}:${d.line}`));
  const added: Diagnostic[] = [];
  for (const d of extra) {
    const already = errorAt.has(`${d.file}:${d.line}`);
    if (already && d.code === CODES.missing.code) continue;
    added.push(already && d.code === CODES.templateReference.code ? { ...d, severity: "note" } : d);
  }
  // Drop-ins apply in the order of their file names, whatever their directories.
  const dropins = [...unit.dropins].sort((a, b) => compare(basename(a), basename(b)));
  const files = [unit.path, ...dropins];
  const order = (file: string): number => {
    const i = files.indexOf(file);
    return i === -1 ? files.length : i;
  };
  // A service made twice is the analysis' finding too; this one names the line and the winner.
  const replaced = new Set(added.filter((d) => d.code === CODES.sameService.code).map((d) => `${d.code} ${d.file}`));
  const own = unit.diagnostics.filter((d) => !replaced.has(`${d.code} ${d.file}`));
  const diagnostics = [...own, ...added].map((d, i) => ({ d, i }));
  diagnostics.sort((a, b) => order(a.d.file) - order(b.d.file) || (a.d.line ?? 0) - (b.d.line ?? 0) || a.i - b.i);
  return { ...unit, dropins, diagnostics: diagnostics.map((x) => x.d) };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A volume's User= or Group= name that this host does not know: the generator refuses it on
 * the host it runs on, but the units may be checked elsewhere, so here it is a warning.
 */
function unknownAccounts(set: UnitSet, host: AccountLookup): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const unit of set.units) {
    if (unit.extension !== ".volume" || !set.selected.has(unit)) continue;
    for (const key of ["User", "Group"] as const) {
      const line = unit.lookupLine("Volume", key);
      const value = unit.lookup("Volume", key);
      if (!line || !value || /^\d+$/.test(value)) continue;
      if ((key === "User" ? host.uid(value) : host.gid(value)) !== undefined) continue;
      const what = key === "User" ? "user" : "group";
      out.push({
        ...CODES.unknownAccount,
        severity: "warning",
        file: line.origin?.file ?? unit.path,
        ...(line.origin ? { line: line.origin.line } : {}),
        key,
        message: `this host has no ${what} '${value}'; the generator refuses the unit on a host without it`,
        hint: `make sure the target host has the ${what} '${value}', or give a number`,
      });
    }
  }
  return out;
}
