/**
 * The one pass over a quadlet section: each line is read once and dispatched to its key's
 * row (a key→row map built once per table, never per unit). Unknown keys and values the
 * row's kind does not accept become diagnostics in the same walk, and the lines of every
 * known key are kept in a {@link SectionRecord} that the converters read by row.
 */
import type { UnitFile, UnitLine } from "../parser/unitfile.js";
import type { KeyRow } from "../generator/keys.js";
import type { Diagnostic } from "./diagnostic.js";
import { CODES, type Code } from "./codes.js";
import { checkValue } from "./values.js";
import { SectionRecord } from "./record.js";

/** A table's rows with their positions by key, made once per table. */
export interface KeyTable {
  readonly rows: readonly KeyRow[];
  /** Row position by key. */
  readonly slot: ReadonlyMap<string, number>;
}

const tables = new WeakMap<readonly KeyRow[], KeyTable>();

/** The {@link KeyTable} of `rows`, built on first use. */
export function keyTable(rows: readonly KeyRow[]): KeyTable {
  let t = tables.get(rows);
  if (!t) {
    const slot = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) if (!slot.has(rows[i]!.key)) slot.set(rows[i]!.key, i);
    t = { rows, slot };
    tables.set(rows, t);
  }
  return t;
}

/** The lines by key of a section the unit does not have. */
const NO_LINES: ReadonlyMap<string, UnitLine[]> = new Map();

/** A diagnostic with the severity its code has in the catalogue. */
export function diag(code: Code, file: string, line: number | undefined, key: string | undefined, message: string, hint?: string): Diagnostic {
  return {
    code,
    severity: CODES[code].severity,
    file,
    ...(line !== undefined && line > 0 ? { line } : {}),
    ...(key !== undefined ? { key } : {}),
    message,
    ...(hint !== undefined ? { hint } : {}),
  };
}

/** Levenshtein distance, cut off above `max` (the nearest-key hint needs no more). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (cur[j]! < best) best = cur[j]!;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

/** The known name nearest to `name`: same letters in another case, else a few edits away. */
export function nearest(name: string, known: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  const max = Math.min(3, Math.max(2, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDist = max + 1;
  for (const k of known) {
    if (k.toLowerCase() === lower) return k;
    const d = distance(lower, k.toLowerCase(), max);
    if (d < bestDist) [best, bestDist] = [k, d];
  }
  return best;
}

/** The file and line of a unit line (the unit's path when it was made in memory). */
export function whereOf(unit: UnitFile, line: UnitLine): { file: string; line: number | undefined } {
  const origin = line.origin;
  return { file: origin?.file ?? (unit.path || unit.filename), line: origin?.line };
}

/**
 * Reads `group` of `unit` in one walk: returns its record, and adds to `out` an error for
 * every key `rows` does not list (podman rejects those) and a warning for every value its
 * row's kind does not accept (podman passes those on).
 */
export function readSection(unit: UnitFile, group: string, rows: readonly KeyRow[], out: Diagnostic[]): SectionRecord {
  const table = keyTable(rows);
  const lines = unit.group(group)?.lines;
  if (!lines) return new SectionRecord(unit, group, NO_LINES);
  const byKey = new Map<string, UnitLine[]>();
  {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      if (line.isComment) continue;
      const at = table.slot.get(line.key);
      if (at === undefined) {
        out.push(unknownKey(unit, group, table, line));
        continue;
      }
      const list = byKey.get(line.key);
      if (list) list.push(line);
      else byKey.set(line.key, [line]);
      const row = rows[at]!;
      if (row.value === "string" || line.value.length === 0) continue;
      const problem = checkValue(row, unquote(line.value));
      if (problem) {
        const w = whereOf(unit, line);
        out.push(diag(problem.code, w.file, w.line, line.key, problem.message, problem.hint));
      }
    }
  }
  return new SectionRecord(unit, group, byKey);
}

function unknownKey(unit: UnitFile, group: string, table: KeyTable, line: UnitLine): Diagnostic {
  const w = whereOf(unit, line);
  const near = nearest(line.key, table.slot.keys());
  const hint = near !== undefined ? `did you mean ${near}?` : `quadlet.unit(5) lists the keys [${group}] accepts`;
  return diag("QL0101", w.file, w.line, line.key, `unsupported key '${line.key}' in group '${group}' in ${unit.path || unit.filename}`, hint);
}

/** A value wholly in double quotes, without them (as podman's lookups read it). */
export function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** The sections systemd itself reads in a service, beside the quadlet ones. */
const SYSTEMD_SECTIONS = ["Unit", "Service", "Install"];

/**
 * A warning for every section that is neither the unit type's own, [Quadlet], a systemd
 * one nor an `X-` extension: quadlet copies it into the service and systemd ignores it,
 * so a misspelt `[Contianer]` or `[container]` silently loses every key in it.
 */
export function checkSections(unit: UnitFile, typeGroup: string, out: Diagnostic[]): void {
  const groups = unit.groups;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    const name = g.name;
    if (name === typeGroup || name === "Quadlet" || SYSTEMD_SECTIONS.includes(name) || name.startsWith("X-")) continue;
    const known = [typeGroup, "Quadlet", ...SYSTEMD_SECTIONS];
    const file = g.origin?.file ?? (unit.path || unit.filename);
    const near = nearest(g.name, known);
    const caseOnly = near !== undefined && near.toLowerCase() === g.name.toLowerCase();
    const code: Code = caseOnly ? "QL0103" : "QL0102";
    const message = caseOnly
      ? `section [${g.name}] is not [${near}]: section names are case-sensitive, so its keys are not read`
      : `unknown section [${g.name}]: it is copied into the service, and systemd ignores it`;
    const hint = near !== undefined ? `did you mean [${near}]?` : `a ${unit.extension} file reads [${typeGroup}], [Unit], [Service], [Install] and [Quadlet]`;
    out.push(diag(code, file, g.origin?.line, undefined, message, hint));
  }
}
