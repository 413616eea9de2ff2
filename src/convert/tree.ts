/**
 * A compose file as a tree whose every value remembers its file and line, read with the
 * `yaml` package (loaded here only, so the generator's boot never pays for it). Anchors,
 * aliases and `<<` merge keys are resolved; every string is interpolated as it is read.
 */
import type * as YamlModule from "yaml";
import { interpolate, InterpolationError, type Variables } from "./interpolate.js";
import { ConvertFailure, type Report, type Where } from "./report.js";

export interface Scalar {
  readonly kind: "scalar";
  readonly where: Where;
  /** The value as written (after substitution); numbers keep their spelling: `1.50`, `0755`. */
  readonly text: string;
  /** Whether the YAML value was null (`~`, `null`, or nothing). */
  readonly isNull: boolean;
}
export interface MapNode {
  readonly kind: "map";
  readonly where: Where;
  readonly entries: Map<string, Node>;
}
export interface SeqNode {
  readonly kind: "seq";
  readonly where: Where;
  items: Node[];
}
export type Node = Scalar | MapNode | SeqNode;

export function scalar(text: string, where: Where, isNull = false): Scalar {
  return { kind: "scalar", where, text, isNull };
}
export function mapNode(where: Where, entries = new Map<string, Node>()): MapNode {
  return { kind: "map", where, entries };
}
export function seqNode(where: Where, items: Node[] = []): SeqNode {
  return { kind: "seq", where, items };
}

let yamlModule: typeof YamlModule | undefined;

/** The `yaml` package, required on first use only. */
function yaml(): typeof YamlModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require("yaml") as typeof YamlModule;
  return yamlModule;
}

interface Reading {
  readonly Y: typeof YamlModule;
  readonly doc: YamlModule.Document;
  readonly lines: YamlModule.LineCounter;
  readonly file: string;
  readonly vars: Variables;
  readonly report: Report;
  /** Aliases being expanded, to stop a cycle. */
  readonly expanding: Set<unknown>;
}

/** Parses `text` (the contents of `file`) into a tree; YAML syntax errors throw. */
export function readYaml(text: string, file: string, vars: Variables, report: Report): Node {
  const Y = yaml();
  const lines = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: true, prettyErrors: false });
  const first = doc.errors[0];
  if (first) {
    const line = lines.linePos(first.pos[0]).line;
    throw new ConvertFailure(`${file}:${line}: ${first.message.split("\n")[0]}`);
  }
  const r: Reading = { Y, doc, lines, file, vars, report, expanding: new Set() };
  return doc.contents ? toNode(doc.contents, r) : mapNode({ file, line: 1 });
}

function whereOf(node: { range?: readonly number[] | null }, r: Reading): Where {
  const offset = node.range?.[0];
  return { file: r.file, line: offset === undefined ? 0 : r.lines.linePos(offset).line };
}

function toNode(node: unknown, r: Reading): Node {
  const { Y } = r;
  if (Y.isAlias(node)) {
    const target = node.resolve(r.doc);
    if (!target || r.expanding.has(target)) throw new ConvertFailure(`${r.file}:${whereOf(node, r).line}: alias *${node.source} refers to nothing, or to itself`);
    r.expanding.add(target);
    try {
      return toNode(target, r);
    } finally {
      r.expanding.delete(target);
    }
  }
  if (Y.isMap(node)) return toMap(node, r);
  if (Y.isSeq(node)) return seqNode(whereOf(node, r), node.items.map((item) => toNode(item, r)));
  if (Y.isScalar(node)) return toScalar(node, r);
  return scalar("", { file: r.file, line: 0 }, true);
}

function toScalar(node: YamlModule.Scalar, r: Reading): Scalar {
  const where = whereOf(node, r);
  if (node.value === null || node.value === undefined) return scalar("", where, true);
  // A plain scalar keeps its spelling (`1.50`, `0755`); a quoted one is its value.
  const raw = node.type === "PLAIN" && typeof node.source === "string" ? node.source : String(node.value);
  return scalar(substitute(raw, where, r), where);
}

function substitute(raw: string, where: Where, r: Reading): string {
  try {
    const { text, unset } = interpolate(raw, r.vars);
    for (const name of unset) r.report.todo(where, undefined, `variable ${name} is not set; an empty string is used`);
    return text;
  } catch (err) {
    if (!(err instanceof InterpolationError)) throw err;
    r.report.error(where, undefined, err.message);
    return raw;
  }
}

function keyText(key: unknown, r: Reading): string {
  if (r.Y.isScalar(key)) return String(key.value);
  throw new ConvertFailure(`${r.file}:${whereOf(key as { range?: number[] }, r).line}: a mapping key must be a plain value`);
}

function toMap(node: YamlModule.YAMLMap, r: Reading): MapNode {
  const out = mapNode(whereOf(node, r));
  const merged: MapNode[] = [];
  for (const pair of node.items) {
    if (r.Y.isScalar(pair.key) && typeof pair.key.value === "symbol") {
      // `<<: *anchor` or `<<: [*a, *b]`: explicit keys win, then earlier merges
      const from = toNode(pair.value, r);
      for (const m of from.kind === "seq" ? from.items : [from]) if (m.kind === "map") merged.push(m);
      continue;
    }
    out.entries.set(keyText(pair.key, r), toNode(pair.value, r));
  }
  for (const m of merged) for (const [k, v] of m.entries) if (!out.entries.has(k)) out.entries.set(k, v);
  return out;
}

/** The child `key` of a map node, if `node` is a map that has it. */
export function child(node: Node | undefined, key: string): Node | undefined {
  return node?.kind === "map" ? node.entries.get(key) : undefined;
}

/** A scalar's text, or undefined for anything else (and for null). */
export function text(node: Node | undefined): string | undefined {
  return node?.kind === "scalar" && !node.isNull ? node.text : undefined;
}
