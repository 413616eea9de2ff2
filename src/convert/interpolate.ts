/**
 * Compose's variable substitution: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?error}`, `${VAR?error}`, `${VAR:+other}`, `${VAR+other}` and `$$` for a literal `$`.
 * Defaults may themselves hold substitutions. And the `.env` file the values come from.
 */

export type Variables = ReadonlyMap<string, string>;

/** What a substitution found wrong: a `${VAR:?message}` whose variable is unset, or bad syntax. */
export class InterpolationError extends Error {}

export interface Interpolated {
  readonly text: string;
  /** Variables used without a value or default (compose substitutes an empty string). */
  readonly unset: readonly string[];
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/** Substitutes every variable in `text`. */
export function interpolate(text: string, vars: Variables): Interpolated {
  if (!text.includes("$")) return { text, unset: [] };
  const unset: string[] = [];
  const out = substitute(text, vars, unset);
  return { text: out, unset };
}

function substitute(text: string, vars: Variables, unset: string[]): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const dollar = text.indexOf("$", i);
    if (dollar === -1) return out + text.slice(i);
    out += text.slice(i, dollar);
    const next = text[dollar + 1];
    if (next === "$") {
      out += "$";
      i = dollar + 2;
    } else if (next === "{") {
      const end = closingBrace(text, dollar + 2);
      if (end === -1) throw new InterpolationError(`"${text}": \${ without a closing }`);
      out += braced(text.slice(dollar + 2, end), vars, unset);
      i = end + 1;
    } else {
      const name = NAME.exec(text.slice(dollar + 1))?.[0];
      if (name === undefined) {
        // a lone `$` (before a blank, a digit, the end) stays as it is, as compose leaves it
        out += "$";
        i = dollar + 1;
      } else {
        out += valueOf(name, vars, unset);
        i = dollar + 1 + name.length;
      }
    }
  }
  return out;
}

/** The index of the `}` that closes a `${` whose body starts at `from`, counting nested ones. */
function closingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    if (text[i] === "$" && text[i + 1] === "$") i++;
    else if (text[i] === "$" && text[i + 1] === "{") {
      depth++;
      i++;
    } else if (text[i] === "}" && --depth === 0) return i;
  }
  return -1;
}

function valueOf(name: string, vars: Variables, unset: string[]): string {
  const v = vars.get(name);
  if (v === undefined) {
    unset.push(name);
    return "";
  }
  return v;
}

/** The body of `${…}`: a name, then an optional operator and its word. */
function braced(body: string, vars: Variables, unset: string[]): string {
  const name = NAME.exec(body)?.[0];
  if (name === undefined) throw new InterpolationError(`"\${${body}}": a variable name must start with a letter or _`);
  const rest = body.slice(name.length);
  if (rest === "") return valueOf(name, vars, unset);
  const op = /^(:?[-?+])/.exec(rest)?.[1];
  if (op === undefined) throw new InterpolationError(`"\${${body}}": expected :-, -, :?, ?, :+ or + after ${name}`);
  const word = rest.slice(op.length);
  const value = vars.get(name);
  // with ":", an empty value counts as unset
  const isSet = op.startsWith(":") ? value !== undefined && value !== "" : value !== undefined;
  switch (op.slice(-1)) {
    case "-":
      return isSet ? value! : substitute(word, vars, unset);
    case "+":
      return isSet ? substitute(word, vars, unset) : "";
    default: // "?"
      if (isSet) return value!;
      throw new InterpolationError(`required variable ${name} is ${value === undefined ? "not set" : "empty"}${word ? `: ${substitute(word, vars, unset)}` : ""}`);
  }
}

/**
 * Reads a `.env` file as compose does: `NAME=value` lines, `#` comments, optional `export `,
 * values in single quotes taken literally, in double quotes with `\n`-style escapes, unquoted
 * ones up to a ` #` comment; later values may use earlier ones. Returns the bad lines too.
 */
export function parseDotEnv(text: string, outer: Variables): { vars: Map<string, string>; bad: number[] } {
  const vars = new Map<string, string>();
  const bad: number[] = [];
  const lookup = (): Variables => new Map([...vars, ...outer]);
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(line);
    if (!m) {
      bad.push(n + 1);
      continue;
    }
    vars.set(m[1]!, dotEnvValue(m[2]!, lookup));
  }
  return { vars, bad };
}

function dotEnvValue(raw: string, lookup: () => Variables): string {
  if (raw.startsWith("'")) {
    const end = raw.indexOf("'", 1);
    return end === -1 ? raw.slice(1) : raw.slice(1, end);
  }
  if (raw.startsWith('"')) {
    const end = /(?<!\\)"/.exec(raw.slice(1));
    const body = end ? raw.slice(1, 1 + end.index) : raw.slice(1);
    const unescaped = body.replace(/\\([nrt"\\])/g, (_, c: string) => ({ n: "\n", r: "\r", t: "\t" })[c] ?? c);
    return interpolate(unescaped, lookup()).text;
  }
  const comment = raw.search(/\s#/);
  return interpolate((comment === -1 ? raw : raw.slice(0, comment)).trim(), lookup()).text;
}
