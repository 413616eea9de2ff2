/**
 * A small checker for the JSON documents the subcommands print, against the schemas that
 * quadlet(8) documents: every field present, of its type, and nothing undocumented.
 */

/** A type: "string", "number", "boolean", "string|null", …, a literal, an array of one shape, or an object. */
export type Shape = string | { literal: unknown } | [Shape] | { [field: string]: Shape };

/** Problems with `value` against `shape`, each naming the path; empty when it matches. */
export function checkSchema(value: unknown, shape: Shape, path = "$"): string[] {
  if (typeof shape === "string") {
    const types = shape.split("|");
    const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value;
    return types.includes(actual) ? [] : [`${path}: ${actual}, expected ${shape}`];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [`${path}: expected an array`];
    return value.flatMap((v, i) => checkSchema(v, shape[0], `${path}[${i}]`));
  }
  if ("literal" in shape && Object.keys(shape).length === 1) {
    return value === shape.literal ? [] : [`${path}: ${JSON.stringify(value)}, expected ${JSON.stringify(shape.literal)}`];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return [`${path}: expected an object`];
  const obj = value as Record<string, unknown>;
  const problems: string[] = [];
  for (const field of Object.keys(shape)) {
    if (!(field in obj)) problems.push(`${path}.${field}: missing`);
    else problems.push(...checkSchema(obj[field], (shape as Record<string, Shape>)[field]!, `${path}.${field}`));
  }
  for (const field of Object.keys(obj)) if (!(field in shape)) problems.push(`${path}.${field}: not in the schema`);
  return problems;
}

export const DIAGNOSTIC_SCHEMA: Shape = {
  code: "string",
  severity: "string",
  file: "string",
  line: "number|null",
  key: "string|null",
  message: "string",
  hint: "string|null",
};

export const UNIT_SCHEMA: Shape = {
  file: "string",
  path: "string",
  dropins: ["string"],
  service: "string|null",
  status: "string",
  diagnostics: [DIAGNOSTIC_SCHEMA],
};

export const VERIFY_SCHEMA: Shape = {
  schemaVersion: { literal: 1 },
  units: [UNIT_SCHEMA],
  diagnostics: [DIAGNOSTIC_SCHEMA],
  summary: { units: "number", errors: "number", warnings: "number", notes: "number" },
};

const PROVENANCE_SCHEMA: Shape = "object";

export const EXPLAIN_SCHEMA: Shape = {
  schemaVersion: { literal: 1 },
  unit: UNIT_SCHEMA,
  merged: ["string"],
  shadowed: [{ path: "string", reason: "string" }],
  skipped: [{ path: "string", reason: "string" }],
  text: "string|null",
  lines: [{ group: "string", key: "string", value: "string", from: PROVENANCE_SCHEMA }],
  commands: [{ key: "string", words: [{ word: "string", from: PROVENANCE_SCHEMA }] }],
  diagnostics: [DIAGNOSTIC_SCHEMA],
};

export const GRAPH_SCHEMA: Shape = {
  schemaVersion: { literal: 1 },
  units: [{ file: "string", path: "string", service: "string|null", status: "string" }],
  edges: [{ from: "string", to: "string", kind: "string", key: "string", file: "string", line: "number", resolved: "boolean" }],
  diagnostics: [DIAGNOSTIC_SCHEMA],
  summary: { units: "number", edges: "number", errors: "number", warnings: "number", notes: "number" },
};
