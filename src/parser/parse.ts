/**
 * Phase 1: bytes to a {@link UnitFile}, reading systemd unit syntax as podman's quadlet
 * reads it, so that a file written for podman means the same here:
 *
 * - every physical line is trimmed;
 * - a line ending in `\` continues on the next one: the backslash is removed and the
 *   pieces are joined with nothing in between; comment lines inside a continuation are
 *   dropped;
 * - blank lines and lines starting with `#` or `;` are comments (kept, and printed again);
 * - `[Name]` starts a group; `Key=Value` adds a line (whitespace around `=` is dropped).
 */
import { ReadLine, UnitFile, type Origin, type UnitGroup, type UnitLine } from "./unitfile.js";

/** A file quadlet could not read. The message names the file and line. */
export class ParseError extends Error {
  override name = "ParseError";
  constructor(readonly origin: Origin, readonly detail: string) {
    super(`${origin.file}:${origin.line}: ${detail}`);
  }
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes file bytes, refusing what is not text. */
export function decodeUnitBytes(bytes: Uint8Array, file: string): string {
  const nul = bytes.indexOf(0);
  if (nul !== -1) {
    const line = countLines(bytes, nul);
    throw new ParseError({ file, line }, "the file contains a NUL byte; unit files must be text");
  }
  try {
    let text = utf8.decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return text;
  } catch {
    const line = firstInvalidUtf8Line(bytes);
    throw new ParseError({ file, line }, "the file is not valid UTF-8");
  }
}

function countLines(bytes: Uint8Array, end: number): number {
  let line = 1;
  for (let i = 0; i < end; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function firstInvalidUtf8Line(bytes: Uint8Array): number {
  let start = 0;
  let line = 1;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        utf8.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

/** A line for an error message: quoted, control characters escaped, long ones cut short. */
function excerpt(line: string): string {
  const max = 80;
  const text = JSON.stringify(line.length > max ? line.slice(0, max) : line);
  return line.length > max ? `${text.slice(0, -1)}…" (${line.length} characters)` : text;
}

function isComment(line: string): boolean {
  const c = line.charCodeAt(0);
  return line.length === 0 || c === 0x23 /* # */ || c === 0x3b /* ; */;
}

const BLANKS_TO_END = /^[ \t]*$/;
// eslint-disable-next-line no-control-regex
const BAD_GROUP_CHARS = /[[\]\x00-\x1f\x7f]/;

/** Parses unit-file text. `file` is the path used in messages and origins. */
export function parseUnitText(text: string, filename: string, file: string): UnitFile {
  const unit = new UnitFile(filename, file);
  parseInto(unit, text, file);
  return unit;
}

/** Parses `text` and appends its groups and lines to `unit` (used for drop-ins too). */
export function parseInto(unit: UnitFile, text: string, file: string): void {
  // Most files hold no carriage return or NUL at all: one search of the whole text spares
  // two searches of every line.
  const checkControls = text.includes("\r") || text.includes("\0");
  const state: ParseState = { unit, file, current: undefined, pending: [], checkControls };
  let continued: string | undefined;
  let continuedAt = 0;
  let lineNr = 0;
  // Lines are cut out one at a time rather than by split("\n"): a boot reads every file.
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end === -1) end = text.length;
    const isLast = end === text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    lineNr++;
    if (continued !== undefined) {
      // Comment and blank lines inside a continuation are dropped, as podman does.
      if (isComment(line)) continue;
    } else if (isComment(line)) {
      // The very last empty piece after a final newline is not a line.
      if (isLast && line.length === 0) continue;
      addComment(state, line, lineNr);
      continue;
    }
    if (line.endsWith("\\")) {
      if (continued === undefined) {
        continued = "";
        continuedAt = lineNr;
      }
      continued += line.slice(0, -1);
      continue;
    }
    if (continued !== undefined) {
      const joined = continued + line;
      continued = undefined;
      if (joined.length === 0) continue;
      handleLine(state, joined, continuedAt);
    } else {
      handleLine(state, line, lineNr);
    }
  }
  // A continuation still open at the end of the file: its last piece may end in blanks.
  if (continued !== undefined && continued.trimEnd().length) handleLine(state, continued.trimEnd(), continuedAt);
  const { current, pending } = state;
  // Trailing comments; in a file of comments only, they go to its first group (if any).
  const target = current ?? unit.groups[0];
  if (target) for (const c of pending) target.lines.push(c);
}

/** What {@link handleLine} carries from one line to the next. */
interface ParseState {
  readonly unit: UnitFile;
  readonly file: string;
  /** The group of the last `[Name]` header. */
  current: UnitGroup | undefined;
  /** Comment lines not yet placed: they go before the next key or group header. */
  pending: UnitLine[];
  /** Whether lines may hold a carriage return or NUL, which {@link handleLine} refuses. */
  readonly checkControls: boolean;
}

/** Throws for a line holding a carriage return or a NUL character. */
function refuseControls(line: string, origin: Origin): void {
  // systemd reads a carriage return as the end of a line. Passed through to the generated
  // unit (values and comments are copied), one would start a new key or section there.
  if (line.includes("\r")) {
    throw new ParseError(origin, `${excerpt(line)} holds a carriage return inside the line, which systemd would read as a line break; only "\\r\\n" line endings are accepted`);
  }
  if (line.includes("\0")) throw new ParseError(origin, "the line contains a NUL character; unit files must be text");
}

/** Where line `lineNr` of the file being read is; made only where needed. */
function originOf(state: ParseState, lineNr: number): Origin {
  return { file: state.file, line: lineNr };
}

/** Keeps a comment or blank line until the next key or group header places it. */
function addComment(state: ParseState, line: string, lineNr: number): void {
  if (state.checkControls) refuseControls(line, originOf(state, lineNr));
  state.pending.push(new ReadLine("", line, true, state.file, lineNr));
}

/**
 * Adds one logical line (trimmed, continuations joined) that is not a comment to the unit.
 * A joined line never is one: its first piece is a line that was not a comment, and the
 * comment lines inside a continuation are dropped.
 */
function handleLine(state: ParseState, line: string, lineNr: number): void {
  if (state.checkControls) refuseControls(line, originOf(state, lineNr));
  if (line[0] === "[") {
    const end = line.indexOf("]");
    if (end > 0 && BLANKS_TO_END.test(line.slice(end + 1))) {
      const name = line.slice(1, end);
      if (name.length === 0 || BAD_GROUP_CHARS.test(name)) {
        throw new ParseError(originOf(state, lineNr), `invalid section name ${excerpt(name)}: a section name cannot be empty or hold "[", "]" or control characters`);
      }
      const group = state.unit.ensureGroup(name);
      group.origin ??= originOf(state, lineNr);
      state.current = group;
      const pending = state.pending;
      // One blank line between sections is dropped here and added back when printing.
      for (let i = pending.length && pending[0]!.value === "" ? 1 : 0; i < pending.length; i++) group.comments.push(pending[i]!);
      state.pending = [];
      return;
    }
  }
  const eq = line.indexOf("=");
  if (eq <= 0) {
    throw new ParseError(originOf(state, lineNr), `${excerpt(line)} is not a [Section] header, a Key=Value line or a comment`);
  }
  const current = state.current;
  if (!current) {
    throw new ParseError(originOf(state, lineNr), `${excerpt(line)} comes before any [Section] header`);
  }
  const key = internKey(line.slice(0, eq).trimEnd());
  const value = line.slice(eq + 1).trimStart();
  if (state.pending.length) {
    for (const c of state.pending) current.lines.push(c);
    state.pending = [];
  }
  current.lines.push(new ReadLine(key, value, false, state.file, lineNr));
}

/**
 * Every key read, once: a run reads the same few dozen keys tens of thousands of times, and
 * keeping one string of each instead of one per line leaves the garbage collector less to
 * copy. Bounded by the distinct keys of the input.
 */
const KEYS = new Map<string, string>();

function internKey(key: string): string {
  const known = KEYS.get(key);
  if (known !== undefined) return known;
  KEYS.set(key, key);
  return key;
}
