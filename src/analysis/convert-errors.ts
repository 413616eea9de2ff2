/**
 * Between the converters' errors and diagnostics: the code of each error (given by the
 * converter, or recognised from podman's wording, which the converters keep so that
 * messages match podman's), and the text the generator logs for a diagnostic.
 */
import { ConvertError } from "../generator/model.js";
import type { UnitFile } from "../parser/unitfile.js";
import type { Code } from "./codes.js";
import type { Diagnostic } from "./diagnostic.js";

/** podman's error sentences, by the code they get. First match wins. */
const ERROR_PATTERNS: readonly (readonly [RegExp, Code])[] = [
  [/^unsupported key /, "QL0101"],
  [/is not Quadlet based/, "QL0402"],
  [/was not found|does not exist|unable to translate dependency|could not find resource name/, "QL0401"],
  [/^no \w+ (or \w+ )?key specified|^neither .* specified|is mandatory/, "QL0301"],
  [/conflict|mutually exclusive|without|along with|only supported|requires .* key|more gateways|more ranges/, "QL0302"],
  [/valid unit name|control character/, "QL0501"],
  [/^invalid |^unsupported |not supported|ids are at most|^unknown (user|group)|^unterminated quote|^extraneous text|^source parameter/, "QL0207"],
];

/** The code of a converter's error message. */
export function codeOfError(message: string): Code {
  for (const [re, code] of ERROR_PATTERNS) if (re.test(message)) return code;
  return "QL0001";
}

/** A thrown error as a diagnostic of `unit`: its code, file and line, key. */
export function errorDiagnostic(unit: UnitFile, err: unknown): Diagnostic {
  const file = unit.path || unit.filename;
  if (!(err instanceof ConvertError)) {
    const detail = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return { code: "QL0001", severity: "error", file, message: `internal error while converting: ${detail}` };
  }
  const code = err.code ?? codeOfError(err.message);
  const line = err.origin && err.origin.line > 0 ? err.origin.line : undefined;
  return {
    code,
    severity: "error",
    file: err.origin?.file ?? file,
    ...(line !== undefined ? { line } : {}),
    ...(err.key !== undefined ? { key: err.key } : {}),
    message: err.message,
  };
}

/**
 * The line the generator logs for a diagnostic. Errors keep podman's form
 * (`converting "web.container": message:LINE`) so that messages stay comparable with
 * podman's; warnings lead with the file and line. The hint follows, after a semicolon.
 */
export function diagnosticText(unit: UnitFile | undefined, d: Diagnostic): string {
  const hint = d.hint !== undefined ? `; ${d.hint}` : "";
  if (d.severity === "error" && unit) {
    const where = d.line === undefined ? "" : d.message.includes(d.file) ? `:${d.line}` : ` (${d.file}:${d.line})`;
    return `converting "${unit.filename}": ${d.message}${where}${hint}`;
  }
  const where = d.line !== undefined ? `${d.file}:${d.line}: ` : `${d.file}: `;
  return `${where}${d.message}${hint}`;
}
