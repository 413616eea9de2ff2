/**
 * What the analysis phase hands to the subcommands (`verify`, `explain`, `graph`, `list`,
 * `install`, `convert`): every unit with its status and diagnostics, and the references
 * between units as edges. The generator's boot path does not build this object.
 */
import type { Diagnostic } from "./diagnostic.js";

/** Where something came from: a file and line, or a named built-in default. */
export type Provenance =
  | { readonly kind: "line"; readonly file: string; readonly line: number; readonly key?: string }
  | { readonly kind: "default"; readonly name: string };

/** What kind of reference an edge is. */
export type EdgeKind = "image" | "network" | "volume" | "mount" | "pod" | "unit";

/** A reference from one quadlet unit to another (`Network=app.network`). */
export interface Edge {
  /** The referring unit's file name: `web.container`. */
  readonly from: string;
  /** The unit file name referred to: `app.network` (it may not exist: see `resolved`). */
  readonly to: string;
  readonly kind: EdgeKind;
  /** The key that makes the reference: `Network`, `Requires`, … */
  readonly key: string;
  readonly file: string;
  readonly line: number;
  /** Whether a unit of that name was found. */
  readonly resolved: boolean;
}

export type UnitStatus = "ok" | "error";

export interface AnalyzedUnit {
  /** The unit's file name: `web.container`. */
  readonly name: string;
  /** Where it was read ("" for a unit made in memory). */
  readonly path: string;
  /** The drop-in files merged into it, in the order they were applied. */
  readonly dropins: readonly string[];
  /** `web.service`, when the name could be worked out. */
  readonly serviceFile?: string;
  /** "error" when the unit is not generated. */
  readonly status: UnitStatus;
  /** Every diagnostic of this unit (errors, warnings, notes), in file and line order. */
  readonly diagnostics: readonly Diagnostic[];
}

export interface Analysis {
  readonly units: readonly AnalyzedUnit[];
  readonly edges: readonly Edge[];
  /** Problems that belong to no one unit (a directory that cannot be read, …). */
  readonly diagnostics: readonly Diagnostic[];
}
