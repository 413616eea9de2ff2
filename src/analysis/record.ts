/**
 * The typed record of one quadlet section: the lines of every known key, by row, read in
 * one walk ({@link readSection}). Converters ask it by row (`rec.lookup(K.Image)`), never
 * by a key written as a string, so every key they read is one the table lists, and no
 * lookup scans the section's lines again.
 *
 * The accessors keep podman's lookup rules: the last line wins; an empty assignment clears
 * the lines before it for repeatable keys; a value wholly in double quotes loses them.
 * A key the section's table does not list has no lines: the section pass rejects a unit
 * that sets one before anything reads it. (Shared code reads the user-mapping keys of every
 * type, as podman's does, kube included.)
 */
import { parseBoolean, type UnitFile, type UnitLine } from "../parser/unitfile.js";
import { splitStrv } from "../parser/words.js";
import type { KeyRow } from "../generator/keys.js";

const NONE: readonly never[] = Object.freeze([]);
/** What keyVals gives for a key the section does not set: shared, so never changed. */
const NO_KEY_VALS: ReadonlyMap<string, string | undefined> = new Map();

export class SectionRecord {
  constructor(
    readonly unit: UnitFile,
    readonly group: string,
    /**
     * Every line of each key the table lists and the section sets, in file order (drop-ins
     * after the file). A map of the keys set, not a slot for every row: a run keeps the
     * record of every unit, and most rows of a table are not set.
     */
    private readonly byKey: ReadonlyMap<string, UnitLine[]>,
  ) {}

  // Most keys a converter asks about are absent: each accessor answers that case itself,
  // with one map lookup and no further calls.

  /** The last line of the key, even when its value is empty. */
  line(row: KeyRow): UnitLine | undefined {
    const all = this.byKey.get(row.key);
    return all === undefined ? undefined : all[all.length - 1];
  }

  has(row: KeyRow): boolean {
    return this.byKey.has(row.key);
  }

  /** The keys the section sets (of those its table lists), in the order first set. */
  keys(): IterableIterator<string> {
    return this.byKey.keys();
  }

  /** The last value, even when empty, without surrounding double quotes; undefined when absent. */
  lookup(row: KeyRow): string | undefined {
    const all = this.byKey.get(row.key);
    if (all === undefined) return undefined;
    const v = all[all.length - 1]!.value;
    if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1);
    return v;
  }

  /** The lines in force: an empty assignment clears the ones before it. */
  lines(row: KeyRow): readonly UnitLine[] {
    const all = this.byKey.get(row.key);
    if (all === undefined) return NONE;
    let from = 0;
    for (let i = 0; i < all.length; i++) if (all[i]!.value.length === 0) from = i + 1;
    return from === 0 ? all : all.slice(from);
  }

  all(row: KeyRow): readonly string[] {
    const lines = this.lines(row);
    return lines.length ? lines.map((l) => l.value) : NONE;
  }

  /** The last value in force (an empty last assignment means unset). */
  last(row: KeyRow): string | undefined {
    const lines = this.lines(row);
    return lines.length ? lines[lines.length - 1]!.value : undefined;
  }

  /** The last value as a systemd boolean (anything but a true word is false); undefined when absent. */
  bool(row: KeyRow): boolean | undefined {
    const v = this.lookup(row);
    return v === undefined ? undefined : parseBoolean(v);
  }

  /** Every value, split into words with quotes removed and escapes kept. */
  strv(row: KeyRow): readonly string[] {
    const values = this.all(row);
    return values.length ? values.flatMap((v) => splitStrv(v)) : NONE;
  }

  /** Every value, split into command-line words; a value that cannot be split is skipped (and warned about). */
  args(row: KeyRow): readonly string[] {
    const lines = this.lines(row);
    if (!lines.length) return NONE;
    const out: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const words = this.unit.splitArgsOf(lines[i]!);
      if (words) for (let j = 0; j < words.length; j++) out.push(words[j]!);
    }
    return out;
  }

  /** The last value, split into command-line words; undefined when absent or unreadable. */
  lastArgs(row: KeyRow): string[] | undefined {
    const lines = this.lines(row);
    const last = lines[lines.length - 1];
    return last === undefined ? undefined : this.unit.splitArgsOf(last);
  }

  /** Every `k=v` word of every value, later keys replacing earlier ones; `k` alone maps to undefined. */
  keyVals(row: KeyRow): ReadonlyMap<string, string | undefined> {
    const lines = this.lines(row);
    if (lines.length === 0) return NO_KEY_VALS;
    const res = new Map<string, string | undefined>();
    for (let i = 0; i < lines.length; i++) {
      const words = this.unit.splitArgsOf(lines[i]!) ?? [];
      for (let j = 0; j < words.length; j++) {
        const word = words[j]!;
        const eq = word.indexOf("=");
        if (eq === -1) res.set(word, undefined);
        else if (eq > 0) res.set(word.slice(0, eq), word.slice(eq + 1));
      }
    }
    return res;
  }
}
