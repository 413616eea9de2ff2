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

/** One key line of a generated service and where it came from. */
export interface TracedLine {
  readonly group: string;
  readonly key: string;
  readonly value: string;
  readonly from: Provenance;
}

/** One word of a generated podman command line and where it came from. */
export interface TracedWord {
  readonly word: string;
  readonly from: Provenance;
}

/** A podman command of the service (`ExecStart=`, `ExecStopPost=`, …), word by word. */
export interface TracedCommand {
  /** The [Service] key that runs it: `ExecStart`. */
  readonly key: string;
  readonly words: readonly TracedWord[];
}

/** A file that was not merged into the unit, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

/** Everything `quadlet explain` prints about one unit. */
export interface ExplainedService {
  readonly unit: AnalyzedUnit;
  /** The generated service's text, exactly as the generator writes it (absent when the unit fails). */
  readonly text?: string;
  /** Every key line of the generated service, in order. */
  readonly lines: readonly TracedLine[];
  /** Every podman command line, word by word. */
  readonly commands: readonly TracedCommand[];
  /** The files merged into the unit, in order: the unit file, then its drop-ins. */
  readonly merged: readonly string[];
  /** Files of the same name in lower-priority directories, hidden by this one. */
  readonly shadowed: readonly SkippedFile[];
  /** Files that were read but not used (a drop-in with a syntax error, …). */
  readonly skipped: readonly SkippedFile[];
}
