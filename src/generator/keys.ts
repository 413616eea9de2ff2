/**
 * Key tables: which keys a quadlet section accepts, what values they take, since when
 * podman documents them, and (for the simple ones) which podman flag they become.
 *
 * One row a key, like systemd's load-fragment tables. A row with `emit` is compiled by
 * {@link emitKeys}; a row without it is handled by its converter's own code, named in
 * `doc`. The tables also drive key validation and the `quadlet.unit(5)` reference.
 */
import type { SectionRecord } from "../analysis/record.js";
import type { PodmanCommand } from "./model.js";

/** The kinds of values keys take. */
export type ValueKind =
  | "string" // one value; the last one wins
  | "strings" // repeatable; each value kept whole
  | "words" // repeatable; each value split into words
  | "boolean" // yes/no, true/false, on/off, 1/0
  | "key-values" // repeatable `k=v` words
  | "args" // a command line, split as systemd splits Exec=
  | "integer"
  | "enum" // one of `choices`
  | "duration" // a time span podman parses: 30s, 5m, 1h30m
  | "size" // a size podman parses: 64m, 1g
  | "path" // a file or directory; relative paths are relative to the unit file
  | "port" // a port mapping or port range
  | "unit"; // a reference to another quadlet unit, or a podman object

/** A key's first release in each section that lists the row: `{ Container: "4.8", Pod: "5.3" }`. */
export type SinceBySection = Readonly<Record<string, string>>;

/** Turns the values of `row`'s key, read from the section's record, into podman arguments. */
export type Emitter = (rec: SectionRecord, row: KeyRow, cmd: PodmanCommand) => void;

export interface KeyRow {
  /** The key as written in the quadlet file. */
  readonly key: string;
  readonly value: ValueKind;
  /**
   * The first podman release whose quadlet knows the key (`5.3`), as podman's release data
   * gives it; scripts/key-since.mjs writes it. For a row several sections list, the earliest
   * of {@link sinceBy}: read it with {@link sinceIn}.
   */
  readonly since: string;
  /** For a row several sections list whose key arrived in them in different releases: each section's release. */
  readonly sinceBy?: SinceBySection;
  /** For `enum` keys: the accepted values. */
  readonly choices?: readonly string[];
  /**
   * For `enum` keys that podman rejects other values of: the converter reports them as
   * errors, so the value check does not warn as well.
   */
  readonly strict?: boolean;
  /** For `enum` keys podman does not check: what a value outside `choices` does. */
  readonly onOther?: string;
  /** How the key becomes podman arguments, when it maps directly. */
  readonly emit?: Emitter;
  /** A one-line description, used in the unit reference. */
  readonly doc: string;
}

// ---- emitters: the usual ways a key becomes a flag -------------------------------------

/** The last value in force, as `flag value`. */
export function lastAs(flag: string): Emitter {
  return (rec, row, cmd) => {
    const v = rec.last(row);
    if (v !== undefined) cmd.add(flag, v);
  };
}

/**
 * The value of the last line, as `flag value`, unless it is empty; a value wholly in
 * double quotes loses them (`Driver="macvlan"`), as in podman's lookups.
 */
export function nonEmptyAs(flag: string): Emitter {
  return (rec, row, cmd) => {
    const v = rec.lookup(row);
    if (v) cmd.add(flag, v);
  };
}

/** The last value in force, as `flag=value`. */
export function lastJoined(flag: string): Emitter {
  return (rec, row, cmd) => {
    const v = rec.last(row);
    if (v !== undefined) cmd.add(`${flag}=${v}`);
  };
}

/** Every value, each as `flag value`. */
export function eachAs(flag: string): Emitter {
  return (rec, row, cmd) => {
    const all = rec.all(row);
    for (let i = 0; i < all.length; i++) cmd.add(flag, all[i]!);
  };
}

/** A boolean: `flag` when true, `flag=false` when false, nothing when absent (podman's addBool). */
export function boolAs(flag: string): Emitter {
  return (rec, row, cmd) => {
    const v = rec.bool(row);
    if (v !== undefined) cmd.addBool(flag, v);
  };
}

/** Every `k=v` word, each as `flag k=v`, sorted by key. */
export function keyValuesAs(flag: string): Emitter {
  return (rec, row, cmd) => {
    cmd.addKeyValues(flag, rec.keyVals(row));
  };
}

/**
 * Runs the emitters of `rows`, in table order, for the keys the section sets. Every emitter
 * adds nothing for a key that is not set, so only the few keys a unit sets are visited
 * rather than every row of the table.
 */
export function emitKeys(rec: SectionRecord, rows: readonly KeyRow[], cmd: PodmanCommand): void {
  const places = emitterPlaces(rows);
  const due: number[] = [];
  for (const key of rec.keys()) {
    const at = places.get(key);
    if (at !== undefined) for (let i = 0; i < at.length; i++) due.push(at[i]!);
  }
  if (due.length > 1) due.sort((a, b) => a - b);
  for (let i = 0; i < due.length; i++) rows[due[i]!]!.emit!(rec, rows[due[i]!]!, cmd);
}

const EMITTER_PLACES = new WeakMap<readonly KeyRow[], ReadonlyMap<string, readonly number[]>>();

/** Where in `rows` each key has an emitter, made once per table. */
function emitterPlaces(rows: readonly KeyRow[]): ReadonlyMap<string, readonly number[]> {
  let places = EMITTER_PLACES.get(rows);
  if (places === undefined) {
    const made = new Map<string, number[]>();
    for (let i = 0; i < rows.length; i++) {
      const key = rows[i]!.key;
      if (!rows[i]!.emit) continue;
      const list = made.get(key);
      if (list) list.push(i);
      else made.set(key, [i]);
    }
    EMITTER_PLACES.set(rows, (places = made));
  }
  return places;
}

/**
 * The rows of a table by key, for converters to read the record with (`rec.lookup(K.Image)`).
 * Built once per table; a test checks that every `K.Name` a converter uses is in its table.
 */
export function rowsByKey(rows: readonly KeyRow[]): Readonly<Record<string, KeyRow>> {
  const out: Record<string, KeyRow> = {};
  for (const r of rows) out[r.key] ??= r;
  return Object.freeze(out);
}

/**
 * Rows that stand for a key several tables list, each with its own row: shared code reads
 * the record through them (the record finds a row by its key).
 */
export function keyHandles(keys: readonly string[]): KeyRow[] {
  return keys.map((key) => ({ key, value: "string", since: "", doc: "" }));
}

/**
 * A row constructor that keeps tables short: `row("Key", "string", "4.4", "doc", emit)`.
 * A row several sections list gives `since` per section where they differ: `{ Container: "4.8", Pod: "5.3" }`.
 */
export function row(key: string, value: ValueKind, since: string | SinceBySection, doc: string, emit?: Emitter, choices?: readonly string[]): KeyRow {
  const first = typeof since === "string" ? { since } : { since: earliest(Object.values(since)), sinceBy: since };
  return { key, value, ...first, doc, ...(emit ? { emit } : {}), ...(choices ? { choices } : {}) };
}

/** The release in which `row`'s key arrived in `[section]`. */
export function sinceIn(row: KeyRow, section: string): string {
  return row.sinceBy?.[section] ?? row.since;
}

/** The earliest of releases written `X.Y` or `X.Y.Z`. */
function earliest(releases: readonly string[]): string {
  const parts = (r: string) => r.split(".").map(Number);
  const before = (a: string, b: string) => {
    const [x, y] = [parts(a), parts(b)];
    for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0);
    return false;
  };
  return releases.reduce((a, b) => (before(b, a) ? b : a));
}

/** `r` with more of its fields set: `withRow(row(…), { strict: true })`. */
export function withRow(r: KeyRow, more: Partial<Pick<KeyRow, "strict" | "onOther">>): KeyRow {
  return { ...r, ...more };
}

/** The keys every quadlet section shares. */
export const SHARED_KEYS = {
  containersConfModule: row("ContainersConfModule", "strings", { Container: "4.8", Volume: "4.8", Network: "4.8", Kube: "4.8", Image: "4.8", Build: "5.2", Pod: "5.0", Artifact: "5.7" }, "Load a containers.conf(5) module: `--module`."),
  globalArgs: row("GlobalArgs", "args", { Container: "4.8", Volume: "4.8", Network: "4.8", Kube: "4.8", Image: "4.8", Build: "5.2", Pod: "5.0", Artifact: "5.7" }, "Arguments put between `podman` and its subcommand."),
  podmanArgs: row("PodmanArgs", "args", { Container: "4.4", Volume: "4.6", Network: "4.6", Kube: "4.6", Image: "4.8", Build: "5.2", Pod: "5.0", Artifact: "5.7" }, "Arguments appended to the podman subcommand, as they are."),
  serviceName: row("ServiceName", "string", { Container: "5.3", Volume: "5.3", Network: "5.3", Kube: "5.3", Image: "5.3", Build: "5.3", Pod: "5.3", Artifact: "5.7" }, "The name of the generated service, without `.service`."),
} as const;

/** The shared keys, as rows every unit type's table includes. */
export const SHARED_KEY_ROWS: readonly KeyRow[] = Object.values(SHARED_KEYS);
