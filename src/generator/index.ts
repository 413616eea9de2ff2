/**
 * Phase 2: quadlet units to services. A first pass indexes every unit (service and
 * resource names, which containers join which pod); then each unit is converted on its
 * own, so one broken unit never stops the others.
 */
import type { UnitFile } from "../parser/unitfile.js";
import { hostFs, type FileSystem } from "../fsys.js";
import { unitNameProblem } from "../text/names.js";
import { defaultResourceName, QUADLET_GROUP, QUADLET_KEYS, serviceNameOf } from "./common.js";
import type { SectionRecord } from "../analysis/record.js";
import { SHARED_KEYS } from "./keys.js";
import { ConvertError, type GeneratedService } from "./model.js";
import type { Diagnostic } from "../analysis/diagnostic.js";
import type { Edge } from "../analysis/analysis.js";
import { checkSections, readSection } from "../analysis/section.js";
import { diagnosticText, errorDiagnostic } from "../analysis/convert-errors.js";
import { UNIT_TYPES } from "./registry.js";
import type { AccountLookup, UnitIndex, UnitInfo, UnitType } from "./unit-type.js";
import { formatDiagnostic } from "../analysis/diagnostic.js";
import { needsRetargeting, type PodmanTarget } from "../target/version.js";

export interface CompileOptions {
  userMode: boolean;
  /** The podman executable written into Exec lines. */
  podman: string;
  /** Host accounts; by default none are known. */
  accounts?: AccountLookup;
  /**
   * The podman release the units must work with; by default (and for the newest release)
   * units get the newest podman's flags and nothing about releases is loaded.
   */
  target?: PodmanTarget;
  /** Where host paths (AddDevice=) are looked up; the host's file system by default. */
  fs?: FileSystem;
}

const NO_ACCOUNTS: AccountLookup = { uid: () => undefined, gid: () => undefined };

/** The outcome of compiling one quadlet file. */
export type Compiled =
  | { ok: true; source: UnitFile; service: GeneratedService; diagnostics?: readonly Diagnostic[] }
  | { ok: false; source: UnitFile; errors: string[]; warnings: string[]; diagnostics?: readonly Diagnostic[] };

export function typeOf(unit: UnitFile): UnitType | undefined {
  return UNIT_TYPES.get(unit.extension);
}

const SCRATCH: Diagnostic[] = [];
const NO_DIAGNOSTICS: readonly Diagnostic[] = Object.freeze([]);

/** A unit that could not be indexed (a bad name) or converted, and why. */
export type UnitProblems = Map<UnitFile, string[]>;

/**
 * The first pass: what every unit will be called and which containers join which pod.
 * A unit whose file name or ServiceName= systemd could not load is left out of the index
 * (so no other unit refers to it by that name) and its error is recorded in `problems`.
 */
export function indexUnits(units: readonly UnitFile[], problems: UnitProblems = new Map()): Map<string, UnitInfo> {
  const index = new Map<string, UnitInfo>();
  for (const unit of units) {
    const type = typeOf(unit);
    if (!type) continue;
    try {
      // The one pass over the unit's sections: every later reader uses these records.
      // Problems go to a scratch list first: most units have none, and get no list.
      const found = SCRATCH;
      found.length = 0;
      checkSections(unit, type.group, found);
      const record = readSection(unit, type.group, type.keys, found);
      const quadlet = readSection(unit, QUADLET_GROUP, QUADLET_KEYS, found);
      const diagnostics = found.length ? found.slice() : NO_DIAGNOSTICS;
      checkNames(record, type);
      index.set(unit.filename, {
        unit,
        type,
        serviceName: serviceNameOf(record, type),
        resourceName: type.resourceName ? type.resourceName(record) : defaultResourceName(unit),
        containersToStart: [],
        record,
        quadlet,
        diagnostics,
      });
    } catch (err) {
      problems.set(unit, [describeError(unit, err)]);
    }
  }
  for (const info of index.values()) {
    try {
      info.type.register?.(info, index);
    } catch (err) {
      problems.set(info.unit, [describeError(info.unit, err)]);
    }
  }
  return index;
}

// Control characters in a path would break the `SourcePath=` line and the header comment.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;

/**
 * The file name (`my web.container`) and the service name (from ServiceName= or the file
 * name) must make unit names systemd can load: they become file and link names, and
 * other units name them in Requires=, After=, ….
 */
function checkNames(rec: SectionRecord, type: UnitType): void {
  const unit = rec.unit;
  if (CONTROL_CHARS.test(unit.path)) {
    throw new ConvertError(`the path ${JSON.stringify(unit.path)} holds a control character; rename the file or its directory`);
  }
  const fileProblem = unitNameProblem(`${unit.baseName}.service`);
  if (fileProblem) {
    throw new ConvertError(`the file name ${JSON.stringify(unit.filename)} (${unit.path}) does not make a valid unit name: ${fileProblem}`);
  }
  const line = rec.line(SHARED_KEYS.serviceName);
  if (line === undefined) return;
  const serviceFile = `${serviceNameOf(rec, type)}.service`;
  const problem = unitNameProblem(serviceFile);
  if (problem) {
    throw new ConvertError(`ServiceName=${line.value} makes ${JSON.stringify(serviceFile)}, which is not a valid unit name: ${problem}`, line.origin, "ServiceName");
  }
}

/** Formats an error as podman does (`converting "x.container": …`), adding where it was found. */
export function formatConvertError(unit: UnitFile, err: ConvertError): string {
  const where = err.origin && err.origin.line > 0 && !err.message.includes(err.origin.file) ? ` (${err.origin.file}:${err.origin.line})` : err.origin && err.origin.line > 0 ? `:${err.origin.line}` : "";
  return `converting "${unit.filename}": ${err.message}${where}`;
}

/**
 * A ConvertError as podman words it; anything else is a bug in quadlet, reported as an
 * internal error naming the file, so that it stops only this unit.
 */
function describeError(unit: UnitFile, err: unknown): string {
  if (err instanceof ConvertError) return formatConvertError(unit, err);
  const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return `converting "${unit.filename}": internal error while converting ${unit.path || unit.filename}: ${detail}`;
}

/**
 * Converts one unit; never throws. The section is read in one pass first: unknown keys
 * stop the unit (podman rejects them); dubious values are warnings, and the unit is still
 * generated as podman generates it. Every problem is also kept as a diagnostic.
 */
export function compileUnit(info: UnitInfo, index: UnitIndex, opts: CompileOptions): Compiled {
  const unit = info.unit;
  const found = info.diagnostics;
  const warnings: string[] = [];
  const fail = (errors: string[], diagnostics: Diagnostic[]): Compiled => ({ ok: false, source: unit, errors, warnings: [...warnings, ...warningTexts(diagnostics)], diagnostics });
  try {
    if (found.length) {
      const keyErrors = found.filter((d) => d.severity === "error");
      if (keyErrors.length) return fail(keyErrors.map((d) => diagnosticText(unit, d)), found.slice());
    }
    const ctx = { index, info, record: info.record, userMode: opts.userMode, podman: opts.podman, accounts: opts.accounts ?? NO_ACCOUNTS, fs: opts.fs ?? hostFs, warnings, edges: [] as Edge[] };
    const service = info.type.convert(ctx);
    service.edges = ctx.edges;
    if (found.length) for (const w of warningTexts(found)) service.warnings.push(w);
    if (needsRetargeting(opts.target)) return forTarget(info, service, opts.podman, opts.target, found);
    return { ok: true, source: unit, service, diagnostics: found };
  } catch (err) {
    return fail([describeError(unit, err)], [...found, errorDiagnostic(unit, err)]);
  }
}

/** The pass that makes a service work with an older podman: src/target/retarget.ts. */
type Retargeter = typeof import("../target/retarget.js").retargetService;
let retargeter: Retargeter | undefined;

/**
 * Hands the generator the retargeting pass instead of having it loaded on first use. The
 * bundle loads it with require() when a target is first set; where require() cannot load
 * TypeScript (the tests), the pass is provided this way.
 */
export function provideRetargeter(pass: Retargeter): void {
  retargeter = pass;
}

/** Loads the retargeting pass, with the release facts, if it is not loaded yet: only a run that targets an older podman pays for it. */
function loadRetargeter(): Retargeter {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (retargeter ??= (require("../target/retarget.js") as typeof import("../target/retarget.js")).retargetService);
}

/**
 * Readies a run to convert `count` units for `target`: the code it needs is compiled first
 * (the retargeting pass, when the target is an older podman), then `tune` may tune V8 for a
 * long run (src/tune.ts), since V8 refuses a code cache made under other flags.
 */
export function readyToConvert(target: PodmanTarget | undefined, count: number, tune: ((unitCount: number) => void) | undefined): void {
  if (needsRetargeting(target)) loadRetargeter();
  tune?.(count);
}

/** The service made to work with an older podman, or the unit's errors where it cannot be. */
function forTarget(info: UnitInfo, service: GeneratedService, podman: string, target: PodmanTarget, found: readonly Diagnostic[]): Compiled {
  const { errors, warnings } = loadRetargeter()(service, info, podman, target);
  const diagnostics = [...found, ...errors, ...warnings];
  if (errors.length) return { ok: false, source: info.unit, errors: errors.map(formatDiagnostic), warnings: [...service.warnings, ...warnings.map(formatDiagnostic)], diagnostics };
  for (const w of warnings) service.warnings.push(formatDiagnostic(w));
  return { ok: true, source: info.unit, service, diagnostics };
}

/** The warnings among `list`, as the lines the generator logs. */
function warningTexts(list: readonly Diagnostic[]): string[] {
  const out: string[] = [];
  for (const d of list) if (d.severity !== "error") out.push(diagnosticText(undefined, d));
  return out;
}

/** Compiles every unit, in the given order. A unit's failure never stops the others. */
export function compileAll(units: readonly UnitFile[], opts: CompileOptions): Compiled[] {
  const out: Compiled[] = [];
  for (const batch of compileInBatches(units, opts).batches) for (const r of batch) out.push(r);
  return out;
}

/** What {@link compileInBatches} gives: the service plan, and the results to come. */
export interface CompileStream {
  /**
   * Every service file the units are meant to produce (`web.service`), with the file that
   * produces it: the last one of a name wins, as in podman. Known before anything compiles.
   */
  services: Map<string, UnitFile>;
  /** The results in unit order, compiled as they are taken. See {@link compileInBatches}. */
  batches: Iterable<readonly Compiled[]>;
}

/** The first pass over a set of units, with the units it had to leave out: see indexUnits. */
export interface IndexedUnits {
  readonly index: Map<string, UnitInfo>;
  readonly problems: UnitProblems;
}

export function indexAll(units: readonly UnitFile[]): IndexedUnits {
  const problems: UnitProblems = new Map();
  return { index: indexUnits(units, problems), problems };
}

/**
 * Compiles unit by unit, so that each service can be written and forgotten before the next
 * one is made (a run holds one generated service at a time, not a thousand). Each batch is
 * one unit's result, except where several files make one service name: their results are
 * held back and given together, with the last of them, so that whoever emits them can tell
 * which one succeeded last.
 * `indexed` is the first pass over these very units, when the caller has made it already.
 */
export function compileInBatches(units: readonly UnitFile[], opts: CompileOptions, indexed: IndexedUnits = indexAll(units)): CompileStream {
  const { index, problems } = indexed;
  const services = new Map<string, UnitFile>();
  const claims = new Map<string, number>();
  for (const unit of units) {
    const info = index.get(unit.filename);
    if (info === undefined || problems.has(unit)) continue;
    const file = `${info.serviceName}.service`;
    services.set(file, info.unit);
    claims.set(file, (claims.get(file) ?? 0) + 1);
  }
  return { services, batches: batchesOf(units, index, problems, claims, opts) };
}

function* batchesOf(units: readonly UnitFile[], index: UnitIndex, problems: UnitProblems, claims: Map<string, number>, opts: CompileOptions): Generator<readonly Compiled[]> {
  const held = new Map<string, Compiled[]>();
  for (const unit of units) {
    const errors = problems.get(unit);
    if (errors) {
      yield [{ ok: false, source: unit, errors, warnings: [] }];
      continue;
    }
    const info = index.get(unit.filename);
    if (!info) continue;
    const result = compileUnit(info, index, opts);
    const file = `${info.serviceName}.service`;
    const left = claims.get(file) ?? 1;
    if (left <= 1) {
      const before = held.get(file);
      held.delete(file);
      yield before ? [...before, result] : [result];
      continue;
    }
    claims.set(file, left - 1);
    const before = held.get(file);
    if (before) before.push(result);
    else held.set(file, [result]);
  }
  // Nothing is held at the end, as every name's last claimant releases it; should the
  // count ever be off, the results still come out rather than being lost.
  for (const rest of held.values()) yield rest;
}
