/**
 * One parser per value kind. Each takes a value as written (surrounding double quotes
 * already removed, as podman's lookups remove them) and returns the typed value, or a
 * problem: the code, what is wrong and what is accepted. The generator still passes the
 * value on as podman does; the problem becomes a warning or an error by the code's severity.
 */
import { isBooleanWord, parseBoolean } from "../parser/unitfile.js";
import type { Code } from "./codes.js";
import type { KeyRow, ValueKind } from "../generator/keys.js";

export interface ValueProblem {
  readonly code: Code;
  readonly message: string;
  readonly hint: string;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: ValueProblem };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = (code: Code, message: string, hint: string): Parsed<never> => ({ ok: false, problem: { code, message, hint } });

export function parseBooleanValue(key: string, v: string): Parsed<boolean> {
  if (isBooleanWord(v)) return ok(parseBoolean(v));
  return bad("QL0201", `${key}=${v} is not a boolean; it is read as false`, "accepted: yes, no, true, false, on, off, 1, 0");
}

const INTEGER = /^[+-]?\d+$/;

export function parseIntegerValue(key: string, v: string): Parsed<number> {
  if (INTEGER.test(v.trim())) return ok(Number(v));
  return bad("QL0202", `${key}=${v} is not an integer; podman will refuse it when the service starts`, "accepted: a whole number, such as 10");
}

/** `choices` that are systemd's booleans accept every boolean word (`Notify=yes`). */
export function parseEnumValue(row: KeyRow, v: string): Parsed<string> {
  const choices = row.choices ?? [];
  if (choices.includes(v)) return ok(v);
  if (choices.includes("true") && isBooleanWord(v)) return ok(parseBoolean(v) ? "true" : "false");
  const fallback = row.onOther ? `; ${row.onOther}` : "";
  return bad("QL0203", `${row.key}=${v} is not one of the values podman documents${fallback}`, `accepted: ${choices.join(", ")}`);
}

// Go's time.ParseDuration: numbers each followed by a unit (the micro sign or the Greek mu for
// microseconds), or a bare 0; `disable` turns a health check interval off. Written with escapes
// so that the bundle stays ASCII.
const DURATION = /^(?:0|disable|(?:\d+(?:\.\d*)?(?:ns|us|\u00b5s|\u03bcs|ms|s|m|h))+)$/;

export function parseDurationValue(key: string, v: string): Parsed<string> {
  if (DURATION.test(v.trim())) return ok(v);
  return bad("QL0204", `${key}=${v} is not a duration`, "accepted: a number with a unit, such as 30s, 5m or 1h30m");
}

const SIZE = /^\d+(?:\.\d+)?\s*(?:[bkmgt]i?b?)?$/i;

export function parseSizeValue(key: string, v: string): Parsed<string> {
  if (SIZE.test(v.trim())) return ok(v);
  return bad("QL0205", `${key}=${v} is not a size`, "accepted: a number with an optional unit b, k, m or g, such as 64m");
}

/** A port to expose: `80`, `8000-8010`, either with `/tcp`, `/udp` or `/sctp`. */
export const PORT = /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/;

/**
 * Checks one value of a key by its row's kind. Kinds whose values are any text (strings,
 * words, args, key-values, paths, references) have nothing to check here: their words are
 * split (and bad escapes reported) where they are read.
 */
export function checkValue(row: KeyRow, v: string): ValueProblem | undefined {
  if (row.strict) return undefined; // the converter rejects other values itself
  const kind: ValueKind = row.value;
  let r: Parsed<unknown> | undefined;
  if (kind === "boolean") r = parseBooleanValue(row.key, v);
  else if (kind === "integer") r = parseIntegerValue(row.key, v);
  else if (kind === "enum") r = parseEnumValue(row, v);
  else if (kind === "duration") r = parseDurationValue(row.key, v);
  else if (kind === "size") r = parseSizeValue(row.key, v);
  return r && !r.ok ? r.problem : undefined;
}

/** The kinds {@link checkValue} parses; the others are free text, split where they are read. */
export const PARSED_KINDS: readonly ValueKind[] = ["boolean", "integer", "enum", "duration", "size"];
/** The kinds whose values are text (checked by splitting or by reference resolution). */
export const TEXT_KINDS: readonly ValueKind[] = ["string", "strings", "words", "key-values", "args", "path", "port", "unit"];
