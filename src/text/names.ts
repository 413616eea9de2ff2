/**
 * Names systemd accepts: unit names (the rules of systemd's unit_name_is_valid()) and
 * normalised paths. Both the generator (service names) and the emitter (file and link
 * names) check against these.
 */

/** The unit types systemd knows: a unit name must end in one of them. */
const UNIT_TYPES = new Set(["service", "socket", "target", "device", "mount", "automount", "swap", "timer", "path", "slice", "scope"]);

/** Characters systemd accepts in unit names (before the type suffix). */
export const UNIT_NAME_CHARS = /^[A-Za-z0-9:_.\\@-]+$/;

/**
 * Why systemd could not load a unit called `name` (as systemd's unit_name_is_valid()
 * decides), or undefined when it could: ASCII letters, digits and ":-_.\\@" only, a
 * non-empty name before any "@", a known type suffix, at most 255 characters.
 */
export function unitNameProblem(name: string): string | undefined {
  if (name.length === 0) return "it is empty";
  if (name.length > 255) return `it is ${name.length} characters long; systemd accepts at most 255`;
  const dot = name.lastIndexOf(".");
  if (dot <= 0) return "it has no name before its type suffix (.service, .target, …)";
  const type = name.slice(dot + 1);
  if (!UNIT_TYPES.has(type)) return `".${type}" is not a unit type; expected one of ${[...UNIT_TYPES].map((t) => "." + t).join(", ")}`;
  const prefix = name.slice(0, dot);
  if (!UNIT_NAME_CHARS.test(prefix)) return 'it holds a character systemd does not accept in unit names; only ASCII letters, digits and ":-_.\\@" are';
  if (prefix.startsWith("@")) return 'it has nothing before its "@"';
  return undefined;
}

/** Whether `name` is a unit name systemd can load. */
export function isValidUnitName(name: string): boolean {
  return unitNameProblem(name) === undefined;
}

/** Like path.normalize for absolute paths: drops `.` and empty components, resolves `..`. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return "/" + out.join("/");
}
