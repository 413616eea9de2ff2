/**
 * Phase 2: quadlet units to services. A first pass indexes every unit (service and
 * resource names, which containers join which pod); then each unit is converted on its
 * own, so one broken unit never stops the others.
 */
import type { UnitFile } from "../parser/unitfile.js";
import { defaultResourceName, serviceNameOf, unsupportedKeys } from "./common.js";
import { ConvertError, type GeneratedService } from "./model.js";
import { UNIT_TYPES } from "./registry.js";
import type { AccountLookup, UnitIndex, UnitInfo, UnitType } from "./unit-type.js";

export interface CompileOptions {
  userMode: boolean;
  /** The podman executable written into Exec lines. */
  podman: string;
  /** Host accounts; by default none are known. */
  accounts?: AccountLookup;
}

const NO_ACCOUNTS: AccountLookup = { uid: () => undefined, gid: () => undefined };

/** The outcome of compiling one quadlet file. */
export type Compiled =
  | { ok: true; source: UnitFile; service: GeneratedService }
  | { ok: false; source: UnitFile; errors: string[]; warnings: string[] };

export function typeOf(unit: UnitFile): UnitType | undefined {
  return UNIT_TYPES.get(unit.extension);
}

/** The first pass: what every unit will be called and which containers join which pod. */
export function indexUnits(units: readonly UnitFile[]): Map<string, UnitInfo> {
  const index = new Map<string, UnitInfo>();
  for (const unit of units) {
    const type = typeOf(unit);
    if (!type) continue;
    index.set(unit.filename, {
      unit,
      type,
      serviceName: serviceNameOf(unit, type),
      resourceName: type.resourceName ? type.resourceName(unit) : defaultResourceName(unit),
      containersToStart: [],
    });
  }
  for (const info of index.values()) info.type.register?.(info, index);
  return index;
}

/** Formats an error as podman does (`converting "x.container": …`), adding where it was found. */
export function formatConvertError(unit: UnitFile, err: ConvertError): string {
  const where = err.origin && err.origin.line > 0 && !err.message.includes(err.origin.file) ? ` (${err.origin.file}:${err.origin.line})` : err.origin && err.origin.line > 0 ? `:${err.origin.line}` : "";
  return `converting "${unit.filename}": ${err.message}${where}`;
}

/** Converts one unit; never throws for a problem in the unit itself. */
export function compileUnit(info: UnitInfo, index: UnitIndex, opts: CompileOptions): Compiled {
  const unit = info.unit;
  const keyErrors = unsupportedKeys(unit, info.type.group, info.type.keys);
  if (keyErrors.length) {
    return { ok: false, source: unit, errors: keyErrors.map((e) => formatConvertError(unit, e)), warnings: [] };
  }
  try {
    const service = info.type.convert({ index, info, userMode: opts.userMode, podman: opts.podman, accounts: opts.accounts ?? NO_ACCOUNTS });
    return { ok: true, source: unit, service };
  } catch (err) {
    if (!(err instanceof ConvertError)) throw err;
    return { ok: false, source: unit, errors: [formatConvertError(unit, err)], warnings: [] };
  }
}

/** Compiles every unit, in the given order. */
export function compileAll(units: readonly UnitFile[], opts: CompileOptions): Compiled[] {
  const index = indexUnits(units);
  const out: Compiled[] = [];
  for (const unit of units) {
    const info = index.get(unit.filename);
    if (info) out.push(compileUnit(info, index, opts));
  }
  return out;
}
