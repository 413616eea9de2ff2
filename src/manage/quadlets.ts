/**
 * The `.quadlets` format: several quadlet files in one, separated by lines that hold only
 * `---`. Each part names itself with a `# FileName=NAME` comment; its type comes from its
 * first section header (`[Container]` makes `NAME.container`).
 *
 *     # FileName=web
 *     [Container]
 *     Image=docker.io/library/nginx
 *     ---
 *     # FileName=web-data
 *     [Volume]
 */
import { UNIT_EXTENSIONS, unitExtensionOf } from "../parser/discover.js";

/** One unit cut out of a `.quadlets` file. */
export interface QuadletPart {
  /** The file name it is installed as: `web.container`. */
  readonly name: string;
  readonly text: string;
  /** The line of the `.quadlets` file that is the part's first line (1-based). */
  readonly firstLine: number;
}

/** A `.quadlets` file that cannot be split; the message names the file and line. */
export class QuadletsError extends Error {
  override name = "QuadletsError";
}

const FILE_NAME_LINE = /^#\s*FileName\s*=(.*)$/;
const HEADER_LINE = /^\[([^\]]+)\]\s*$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\x00-\x1f\x7f]/;

/** Splits the text of a `.quadlets` file (`file` is its name in messages) into its units. */
export function splitQuadlets(text: string, file: string): QuadletPart[] {
  const lines = text.split("\n");
  const parts: QuadletPart[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && lines[i]!.trim() !== "---") continue;
    const part = partOf(lines, start, i, file);
    if (part) parts.push(part);
    start = i + 1;
  }
  if (parts.length === 0) throw new QuadletsError(`${file}: holds no quadlet; parts are separated by "---" lines and each starts with "# FileName=NAME"`);
  const seen = new Map<string, number>();
  for (const p of parts) {
    const before = seen.get(p.name);
    if (before !== undefined) throw new QuadletsError(`${file}:${p.firstLine}: ${p.name} is already named at line ${before}; every part needs a name of its own`);
    seen.set(p.name, p.firstLine);
  }
  return parts;
}

/** The unit in lines [from, to), blank lines around it dropped; undefined when there is none. */
function partOf(lines: readonly string[], from: number, to: number, file: string): QuadletPart | undefined {
  while (from < to && lines[from]!.trim() === "") from++;
  while (to > from && lines[to - 1]!.trim() === "") to--;
  if (from === to) return undefined;
  const body = lines.slice(from, to);
  const firstLine = from + 1;
  const extension = typeOfPart(body, file, firstLine);
  const name = fileNameOfPart(body, file, firstLine, extension);
  return { name, text: body.join("\n") + "\n", firstLine };
}

function typeOfPart(body: readonly string[], file: string, firstLine: number): string {
  for (const line of body) {
    const m = HEADER_LINE.exec(line.trim());
    if (!m) continue;
    const ext = "." + m[1]!.toLowerCase();
    if ((UNIT_EXTENSIONS as readonly string[]).includes(ext)) return ext;
  }
  const expected = UNIT_EXTENSIONS.map((e) => `[${e[1]!.toUpperCase()}${e.slice(2)}]`).join(", ");
  throw new QuadletsError(`${file}:${firstLine}: this part has no quadlet section; expected one of ${expected}`);
}

function fileNameOfPart(body: readonly string[], file: string, firstLine: number, extension: string): string {
  for (let i = 0; i < body.length; i++) {
    const m = FILE_NAME_LINE.exec(body[i]!.trim());
    if (!m) continue;
    const where = `${file}:${firstLine + i}`;
    const name = m[1]!.trim();
    const problem = fileNameProblem(name);
    if (problem) throw new QuadletsError(`${where}: FileName=${name} is refused: ${problem}`);
    const own = unitExtensionOf(name);
    if (own === undefined) return name + extension;
    if (own !== extension) throw new QuadletsError(`${where}: FileName=${name} ends in ${own}, but the part's section makes it a ${extension} file`);
    return name;
  }
  throw new QuadletsError(`${file}:${firstLine}: this part has no "# FileName=NAME" line, which names the file it is installed as`);
}

/** Why `name` cannot be a file name in the install directory, or undefined when it can. */
export function fileNameProblem(name: string): string | undefined {
  if (name === "") return "the name is empty";
  if (name.includes("/") || name.includes("\\")) return `it holds a path separator and would leave the install directory; give a plain file name`;
  if (name === "." || name === "..") return "it would leave the install directory; give a plain file name";
  if (name.startsWith(".")) return "hidden names (starting with \".\") are not accepted";
  if (CONTROL_CHARS.test(name)) return "it holds a control character";
  if (name.length > 255) return "it is longer than 255 characters";
  return undefined;
}
