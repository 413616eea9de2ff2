/**
 * References between units, as edges: `Image=base.image`, `Network=app.network`,
 * `Volume=data.volume:/x`, `Mount=type=volume,source=data.volume,…`, `Pod=web.pod`, and
 * quadlet names in [Unit] dependency keys (`Requires=db.container`). A reference to a unit
 * no directory holds is an unresolved edge and a QL0401 diagnostic on its line.
 */
import type { UnitFile, UnitLine } from "../parser/unitfile.js";
import { UNIT_TYPES } from "../generator/registry.js";
import { parseCsvRecord } from "../generator/shared-args.js";
import { DEPENDENCY_KEYS, isQuadletName, UNIT_GROUP } from "../generator/common.js";
import type { Edge, EdgeKind } from "./analysis.js";
import type { Diagnostic } from "./diagnostic.js";
import { diag, unquote, whereOf } from "./section.js";

/** The quadlet name a reference value holds, if any, for a key of the unit's section. */
type Extractor = (value: string) => string[];

const endsWithAny = (name: string, exts: readonly string[]): boolean => exts.some((e) => name.endsWith(e));

const IMAGE_UNITS = [".image", ".build"];

/** How each referring key names units, and which of its words are quadlet names. */
const REFERENCE_KEYS = new Map<string, readonly [EdgeKind, Extractor]>([
  ["Image", ["image", (v) => (endsWithAny(v, IMAGE_UNITS) ? [v] : [])]],
  ["Network", ["network", (v) => {
    const name = v.split(":")[0]!;
    return endsWithAny(name, [".network", ".container"]) ? [name] : [];
  }]],
  ["Volume", ["volume", (v) => {
    const parts = v.split(":");
    return parts.length >= 2 && parts[0]!.endsWith(".volume") ? [parts[0]!] : [];
  }]],
  ["Mount", ["mount", mountSources]],
  ["Pod", ["pod", (v) => (v.endsWith(".pod") ? [v] : [])]],
]);

/** The keys each unit type accepts, made once per type rather than once per unit. */
const KNOWN_KEYS = new Map<string, ReadonlySet<string>>();

function knownKeys(extension: string, keys: readonly { key: string }[]): ReadonlySet<string> {
  let known = KNOWN_KEYS.get(extension);
  if (!known) KNOWN_KEYS.set(extension, (known = new Set(keys.map((r) => r.key))));
  return known;
}

function mountSources(v: string): string[] {
  let fields: string[];
  try {
    fields = parseCsvRecord(v);
  } catch {
    return []; // the converter reports the malformed value
  }
  let type = "volume";
  const out: string[] = [];
  for (const f of fields) {
    const eq = f.indexOf("=");
    const k = eq === -1 ? f : f.slice(0, eq);
    if (k === "type") type = f.slice(eq + 1);
    else if ((k === "source" || k === "src") && eq !== -1) out.push(f.slice(eq + 1));
  }
  const exts = type === "image" ? [".volume", ".artifact", ".image", ".build"] : [".volume", ".artifact"];
  return out.filter((s) => endsWithAny(s, exts));
}

/** Every edge of every unit, and a diagnostic for each that names no unit. */
export function collectEdges(units: readonly UnitFile[]): { edges: Edge[]; diagnostics: Map<UnitFile, Diagnostic[]> } {
  const names = new Set<string>();
  for (const u of units) if (UNIT_TYPES.has(u.extension)) names.add(u.filename);
  const edges: Edge[] = [];
  const diagnostics = new Map<UnitFile, Diagnostic[]>();
  const add = (unit: UnitFile, line: UnitLine, kind: EdgeKind, to: string): void => {
    const w = whereOf(unit, line);
    const resolved = names.has(to);
    edges.push({ from: unit.filename, to, kind, key: line.key, file: w.file, line: w.line ?? 0, resolved });
    if (!resolved) {
      const list = diagnostics.get(unit) ?? [];
      list.push(diag("QL0401", w.file, w.line, line.key, `${line.key}= names ${to}, but no unit file of that name was found`, "create it in a quadlet unit directory, or correct the name"));
      diagnostics.set(unit, list);
    }
  };
  for (const unit of units) {
    const type = UNIT_TYPES.get(unit.extension);
    if (!type) continue;
    const known = knownKeys(unit.extension, type.keys);
    for (const line of unit.group(type.group)?.lines ?? []) {
      const reference = line.isComment ? undefined : REFERENCE_KEYS.get(line.key);
      if (!reference || !known.has(line.key)) continue;
      const [kind, extract] = reference;
      for (const to of extract(unquote(line.value))) add(unit, line, kind, to);
    }
    for (const line of unit.group(UNIT_GROUP)?.lines ?? []) {
      if (line.isComment || !DEPENDENCY_KEYS.includes(line.key)) continue;
      for (const w of line.value.split(/[ \t]+/)) if (isQuadletName(w)) add(unit, line, "unit", w);
    }
  }
  return { edges, diagnostics };
}
