/**
 * Small readers of compose values: lists of strings, shell-like command strings, durations,
 * booleans, and the name of a field for messages.
 */
import type { Report } from "./report.js";
import type { Node } from "./tree.js";

/** A scalar or a list of scalars, as strings; anything else is reported. */
export function stringList(node: Node, field: string, report: Report): string[] {
  if (node.kind === "scalar") return node.isNull ? [] : [node.text];
  if (node.kind === "seq") {
    const out: string[] = [];
    for (const item of node.items) {
      if (item.kind === "scalar") out.push(item.text);
      else report.error(item.where, field, "expected a string in this list");
    }
    return out;
  }
  report.error(node.where, field, "expected a string or a list of strings");
  return [];
}

/** A scalar's text, or an error and undefined. */
export function scalarText(node: Node, field: string, report: Report): string | undefined {
  if (node.kind === "scalar" && !node.isNull) return node.text;
  if (node.kind === "scalar") return undefined;
  report.error(node.where, field, "expected a single value");
  return undefined;
}

const TRUE = new Set(["true", "yes", "on", "1"]);
const FALSE = new Set(["false", "no", "off", "0"]);

export function booleanOf(node: Node, field: string, report: Report): boolean | undefined {
  const t = scalarText(node, field, report)?.toLowerCase();
  if (t === undefined) return undefined;
  if (TRUE.has(t)) return true;
  if (FALSE.has(t)) return false;
  report.error(node.where, field, `"${t}" is not a boolean`, "write true or false");
  return undefined;
}

/**
 * Splits a command string into words as compose does (POSIX shell quoting, no expansion):
 * `sh -c "echo hi"` is three words.
 */
export function shellSplit(s: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === "'") {
      const end = s.indexOf("'", i + 1);
      if (end === -1) return undefined;
      word += s.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < s.length && s[j] !== '"'; j++) {
        if (s[j] === "\\" && /["\\$`]/.test(s[j + 1] ?? "")) j++;
        word += s[j];
      }
      if (j >= s.length) return undefined;
      i = j;
      inWord = true;
    } else if (c === "\\" && i + 1 < s.length) {
      word += s[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const UNIT_SECONDS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001, "\u00b5s": 0.000001, ns: 1e-9 };

/** A compose duration (`1m30s`, `10s`, `500ms`, or bare seconds) in seconds, or undefined. */
export function durationSeconds(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text);
  const re = /(\d+(?:\.\d+)?)(h|ms|us|\u00b5s|ns|m|s)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNIT_SECONDS[m[2]!]!;
    end = re.lastIndex;
  }
  return end === text.length && end > 0 ? total : undefined;
}

const LABEL_KEYS: Readonly<Record<string, string>> = { type: "SecurityLabelType", level: "SecurityLabelLevel", filetype: "SecurityLabelFileType" };

/** The quadlet key and value of a `--security-opt` option, when one says it. */
export function securityOptionKey(opt: string): [string, string] | undefined {
  const [name, value = ""] = opt.split(/[=:](.*)/s);
  if (name === "no-new-privileges") return value === "false" ? undefined : ["NoNewPrivileges", "true"];
  if (name === "seccomp") return ["SeccompProfile", value];
  if (name === "apparmor") return ["AppArmor", value];
  if (name === "mask") return ["Mask", value];
  if (name === "unmask") return ["Unmask", value];
  if (name !== "label") return undefined;
  if (value === "disable") return ["SecurityLabelDisable", "true"];
  if (value === "nested") return ["SecurityLabelNested", "true"];
  const m = /^(type|level|filetype):(.+)$/.exec(value);
  return m ? [LABEL_KEYS[m[1]!]!, m[2]!] : undefined;
}

/** Orders strings by their UTF-16 code units, the same everywhere (not by the locale). */
export function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
