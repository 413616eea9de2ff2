/**
 * The unit-file tree: groups ("sections") of lines, each line a key/value pair or a
 * comment, in file order. Repeated keys are kept, in order; nothing is collapsed.
 *
 * The tree is what phase 1 hands to phase 2, and also what phase 3 prints: a generated
 * service starts as a copy of the quadlet file (its comments and [Unit]/[Service]/[Install]
 * sections included), so the output reads like the input.
 *
 * Every line remembers where it came from ({@link Origin}) so that any later error can
 * name the file and line.
 */
import { ARGS_FLAGS, SplitError, splitWords } from "./words.js";

/** Where a line was read: the file and its 1-based line number. */
export interface Origin {
  readonly file: string;
  readonly line: number;
}

/**
 * One line of a group. Lines are never changed once made (a change replaces the line in
 * its group), so that copies of a unit can share them.
 */
export interface UnitLine {
  /** The key, or "" for a comment line. */
  readonly key: string;
  /** The value; for a comment, the whole comment text (an empty string for a blank line). */
  readonly value: string;
  readonly isComment: boolean;
  readonly origin?: Origin;
}

/**
 * A line as the parser reads it: one object, its origin made only when asked for (most never
 * are). A run keeps every line of every unit until it ends, and the garbage collector copies
 * each object that survives: with a line an object instead of two, keys kept once and no map
 * per unit, a 1,000-unit run's collector copies 6.8 MB instead of 8.3.
 */
export class ReadLine implements UnitLine {
  constructor(readonly key: string, readonly value: string, readonly isComment: boolean, readonly file: string, readonly lineNr: number) {}

  get origin(): Origin {
    return { file: this.file, line: this.lineNr };
  }
}

/** The file a line was read from, without making its origin (undefined for a line made in memory). */
export function fileOf(line: UnitLine): string | undefined {
  return line instanceof ReadLine ? line.file : line.origin?.file;
}

export interface UnitGroup {
  name: string;
  /** Where the group's first `[Name]` header was read. */
  origin?: Origin;
  /** Comment and blank lines found before the group header. */
  comments: UnitLine[];
  lines: UnitLine[];
}

/** The shared empty result of lookups that find nothing. */
const NONE: readonly never[] = Object.freeze([]);

/** The truthy words of systemd booleans. */
const TRUE_WORDS = new Set(["1", "yes", "true", "on"]);
const BOOLEAN_WORDS = new Set(["1", "yes", "true", "on", "0", "no", "false", "off"]);

/** Whether `value` is one of systemd's boolean words (case-insensitive). */
export function isBooleanWord(value: string): boolean {
  return BOOLEAN_WORDS.has(value.toLowerCase());
}

export function parseBoolean(value: string): boolean {
  return TRUE_WORDS.has(value.toLowerCase());
}

export class UnitFile {
  /** In file order. Found by a scan: a unit has a handful, and a map per unit (and per copy) cost more. */
  readonly groups: UnitGroup[] = [];
  /**
   * Problems found while reading values (a bad escape in a word list), each a sentence
   * naming file, line and key. The value in question is ignored, as podman ignores it.
   */
  readonly warnings: string[] = [];

  /**
   * @param filename the file's own name, e.g. `web.container`
   * @param path where it was read, or "" for a unit made in memory
   */
  constructor(public filename: string, public path = "") {}

  // ---- structure -------------------------------------------------------------------

  hasGroup(name: string): boolean {
    return this.group(name) !== undefined;
  }

  group(name: string): UnitGroup | undefined {
    const groups = this.groups;
    for (let i = 0; i < groups.length; i++) if (groups[i]!.name === name) return groups[i];
    return undefined;
  }

  /** The group called `name`, added at the end if there is none yet. */
  ensureGroup(name: string): UnitGroup {
    let g = this.group(name);
    if (!g) {
      g = { name, comments: [], lines: [] };
      this.groups.push(g);
    }
    return g;
  }

  renameGroup(from: string, to: string): void {
    const g = this.group(from);
    if (!g || from === to) return;
    const existing = this.group(to);
    if (existing) {
      // Merge into the group that already has the new name.
      existing.comments = existing.comments.concat(g.comments);
      existing.lines = existing.lines.concat(g.lines);
      this.groups.splice(this.groups.indexOf(g), 1);
    } else {
      g.name = to;
    }
  }

  removeGroup(name: string): void {
    const g = this.group(name);
    if (g) this.groups.splice(this.groups.indexOf(g), 1);
  }

  /**
   * A copy with groups and line lists of its own, so that either can change without the
   * other seeing it. The lines themselves are shared: they never change.
   */
  clone(filename = this.filename): UnitFile {
    const copy = new UnitFile(filename, this.path);
    for (let i = 0; i < this.groups.length; i++) {
      const g = this.groups[i]!;
      const ng = copy.ensureGroup(g.name);
      ng.comments = g.comments.slice();
      ng.lines = g.lines.slice();
    }
    return copy;
  }

  /** Appends every group of `other` (a drop-in) to the same-named group here. */
  merge(other: UnitFile): void {
    for (const src of other.groups) {
      const dest = this.ensureGroup(src.name);
      dest.origin ??= src.origin;
      for (const l of src.comments) dest.comments.push(l);
      for (const l of src.lines) dest.lines.push(l);
    }
  }

  // ---- adding ------------------------------------------------------------------------

  add(group: string, key: string, value: string): void {
    this.ensureGroup(group).lines.push({ key, value, isComment: false });
  }

  /** Adds `key=value` before every other line of the group. */
  prepend(group: string, key: string, value: string): void {
    this.ensureGroup(group).lines.unshift({ key, value, isComment: false });
  }

  /** Replaces every `key` of the group with one `key=value` where the first one was. */
  set(group: string, key: string, value: string): void {
    const g = this.ensureGroup(group);
    const lines = g.lines;
    let first = -1;
    let more = false;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.isComment || l.key !== key) continue;
      if (first === -1) first = i;
      else more = true;
    }
    if (first === -1) {
      lines.push({ key, value, isComment: false });
      return;
    }
    lines[first] = { key, value, isComment: false, origin: lines[first]!.origin };
    // Only a key set more than once needs a new list without its later lines.
    if (more) g.lines = lines.filter((l, i) => i <= first || l.isComment || l.key !== key);
  }

  unset(group: string, key: string): void {
    const g = this.group(group);
    if (g) g.lines = g.lines.filter((l) => l.isComment || l.key !== key);
  }

  prependComment(group: string, ...comments: string[]): void {
    const g = this.ensureGroup(group);
    g.comments.unshift(...comments.map((value) => ({ key: "", value, isComment: true })));
  }

  // ---- looking up --------------------------------------------------------------------

  /** Every key/value line of the group, in order. */
  entries(group: string): UnitLine[] {
    const g = this.group(group);
    return g ? g.lines.filter((l) => !l.isComment) : [];
  }

  hasKey(group: string, key: string): boolean {
    return this.lookupLine(group, key) !== undefined;
  }

  /** The last line of `key`, even when its value is empty. */
  lookupLine(group: string, key: string): UnitLine | undefined {
    const g = this.group(group);
    if (!g) return undefined;
    for (let i = g.lines.length - 1; i >= 0; i--) {
      const l = g.lines[i]!;
      if (!l.isComment && l.key === key) return l;
    }
    return undefined;
  }

  /**
   * The value of the last `key`, even when empty; undefined when there is none. A value
   * wholly in double quotes loses them (`Image="x"` is `x`), as in podman.
   */
  lookup(group: string, key: string): string | undefined {
    const v = this.lookupLine(group, key)?.value;
    if (v !== undefined && v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1);
    return v;
  }

  /**
   * Every line of `key` that is still in force: an empty assignment (`Key=`) clears the
   * ones before it, as in systemd.
   */
  lookupAllLines(group: string, key: string): readonly UnitLine[] {
    const g = this.group(group);
    if (!g) return NONE;
    // Most keys a converter asks about are absent: allocate only on a match. The loop
    // counts rather than uses for…of: most of a run is not yet optimized code, where each
    // for…of step allocates an iterator result.
    let out: UnitLine[] | undefined;
    const lines = g.lines;
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.isComment || l.key !== key) continue;
      if (l.value.length === 0) out = undefined;
      else (out ??= []).push(l);
    }
    return out ?? NONE;
  }

  lookupAll(group: string, key: string): readonly string[] {
    const lines = this.lookupAllLines(group, key);
    return lines.length ? lines.map((l) => l.value) : NONE;
  }

  /** Splits a value into words; a bad escape is recorded as a warning and gives undefined. */
  splitArgsOf(line: UnitLine): string[] | undefined {
    try {
      return splitWords(line.value, ARGS_FLAGS);
    } catch (err) {
      if (!(err instanceof SplitError)) throw err;
      const where = line.origin ? `${line.origin.file}:${line.origin.line}: ` : "";
      this.warnings.push(`${where}${err.message} in ${line.key}=${line.value}; the value is ignored`);
      return undefined;
    }
  }

  // ---- naming ------------------------------------------------------------------------

  /** `web.container` gives `web`. */
  get baseName(): string {
    const dot = this.filename.lastIndexOf(".");
    return dot === -1 ? this.filename : this.filename.slice(0, dot);
  }

  /** `.container` for `web.container`. */
  get extension(): string {
    const dot = this.filename.lastIndexOf(".");
    return dot === -1 ? "" : this.filename.slice(dot);
  }

  /**
   * For `foo@bar.container`: base `foo`, instance `bar`, isTemplate true. For
   * `foo@.container`: base `foo`, instance "". For `foo.container`: base `foo`, not a template.
   */
  templateParts(): { base: string; instance: string; isTemplate: boolean } {
    const name = this.baseName;
    const at = name.indexOf("@");
    if (at === -1) return { base: name, instance: "", isTemplate: false };
    return { base: name.slice(0, at), instance: name.slice(at + 1), isTemplate: true };
  }
}
