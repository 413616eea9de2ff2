/**
 * Systemd word splitting (systemd's `extract_first_word`) and C-style escapes.
 *
 * Values such as `Exec=`, `Label=` or `PodmanArgs=` hold several words. Systemd splits
 * them on whitespace, honours `"…"` and `'…'` quoting, and reads C escapes (`\n`,
 * `\x41`, `\u00e9`, `\101`). Podman's quadlet uses the same rules, so we do too.
 *
 * One deliberate difference: podman stops at the first empty word (`a "" b` gives only
 * `a`). We keep the empty word and everything after it.
 */

/** Characters that separate words. */
export const WHITESPACE = " \t\n\r";

/** Flags of {@link extractFirstWord}, named after systemd's EXTRACT_* flags. */
export const enum Split {
  None = 0,
  /** Tolerate an unterminated quote or a trailing backslash. */
  Relax = 1,
  /** Decode C escapes (`\n`, `\x20`, …). */
  CUnescape = 2,
  /** Keep an unknown escape as it is (backslash and character) instead of failing. */
  UnescapeRelax = 4,
  /** Strip quotes: `"a b"` is one word `a b`. */
  Unquote = 8,
  /** Two separators in a row make an empty word. */
  DontCoalesceSeparators = 16,
  /** Keep backslashes as they are. */
  RetainEscape = 32,
}

/** Thrown for input that systemd would refuse: a bad escape or an unclosed quote. */
export class SplitError extends Error {
  override name = "SplitError";
}

export interface Extracted {
  /** The word, or null when the input had no more words. */
  word: string | null;
  /** Index in the input just after the word and its trailing separators. */
  next: number;
}

const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;

/**
 * Whether `s[i]` separates words. Compared by character code for the usual whitespace
 * separators: no one-character string and no search of the separator list per character.
 */
function isSeparatorAt(s: string, i: number, separators: string): boolean {
  if (separators === WHITESPACE) {
    const c = s.charCodeAt(i);
    return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  }
  return separators.includes(s[i]!);
}

/**
 * The index, from `i`, of the first character outside quotes that is not copied as it
 * is: a separator, an escaping backslash or (when quotes are stripped) an opening quote.
 */
function plainRunEnd(s: string, i: number, separators: string, escapes: boolean, unquote: boolean): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH ? escapes : unquote && (c === DOUBLE_QUOTE || c === SINGLE_QUOTE)) return i;
    if (isSeparatorAt(s, i, separators)) return i;
  }
  return n;
}

/** The index, from `i`, of the closing `quote` (a character code) or an escaping backslash. */
function quotedRunEnd(s: string, i: number, quote: number, escapes: boolean): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === quote || (c === BACKSLASH && escapes)) return i;
  }
  return n;
}

/**
 * Reads one escape sequence whose backslash has already been consumed; `s[i]` is the
 * character after the backslash. Returns the decoded text and how many characters of
 * `s` it used, or null for an escape systemd does not know.
 */
export function cUnescapeOne(s: string, i: number): { text: string; length: number } | null {
  const c = s[i];
  switch (c) {
    case "a": return { text: "\x07", length: 1 };
    case "b": return { text: "\b", length: 1 };
    case "f": return { text: "\f", length: 1 };
    case "n": return { text: "\n", length: 1 };
    case "r": return { text: "\r", length: 1 };
    case "t": return { text: "\t", length: 1 };
    case "v": return { text: "\v", length: 1 };
    case "\\": return { text: "\\", length: 1 };
    case '"': return { text: '"', length: 1 };
    case "'": return { text: "'", length: 1 };
    case "s": return { text: " ", length: 1 };
    case "x": return hexEscape(s, i + 1, 2, 1);
    case "u": return hexEscape(s, i + 1, 4, 1);
    case "U": return hexEscape(s, i + 1, 8, 1);
    default:
      if (c !== undefined && c >= "0" && c <= "7") return octalEscape(s, i);
      return null;
  }
}

const HEX = /^[0-9a-fA-F]+$/;

function hexEscape(s: string, start: number, digits: number, prefix: number): { text: string; length: number } | null {
  const hex = s.slice(start, start + digits);
  if (hex.length !== digits || !HEX.test(hex)) return null;
  const code = parseInt(hex, 16);
  // systemd refuses NUL and code points outside Unicode.
  if (code === 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
  return { text: String.fromCodePoint(code), length: prefix + digits };
}

function octalEscape(s: string, i: number): { text: string; length: number } | null {
  const oct = s.slice(i, i + 3);
  if (!/^[0-7]{3}$/.test(oct)) return null;
  const code = parseInt(oct, 8);
  if (code === 0 || code > 255) return null;
  return { text: String.fromCharCode(code), length: 3 };
}

/**
 * Extracts the first word of `s` starting at `start`, like systemd's extract_first_word.
 * Throws {@link SplitError} on a bad escape or unterminated quote unless relaxed.
 */
export function extractFirstWord(s: string, start: number, separators: string, flags: Split): Extracted {
  let i = start;
  const n = s.length;
  // Skip leading separators.
  if (flags & Split.DontCoalesceSeparators) {
    if (i >= n) return { word: null, next: n };
    if (isSeparatorAt(s, i, separators)) return { word: "", next: i + 1 };
  } else {
    while (i < n && isSeparatorAt(s, i, separators)) i++;
    if (i >= n) return { word: null, next: n };
  }

  // Plain characters are copied in runs (`s.slice`), not one by one: a word built a
  // character at a time is a chain of millions of string pieces for a long value. Each
  // run is found by character code, so only the characters that end one are looked at.
  const escapes = !(flags & Split.RetainEscape);
  const unquote = (flags & Split.Unquote) !== 0;
  let word = "";
  let quote = 0; // character code of the open quote; 0 outside quotes
  let runStart = i;
  for (;;) {
    i = quote ? quotedRunEnd(s, i, quote, escapes) : plainRunEnd(s, i, separators, escapes, unquote);
    if (i >= n) {
      if (quote && !(flags & Split.Relax)) throw new SplitError("unterminated quote");
      return { word: word + s.slice(runStart, n), next: n };
    }
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && escapes) {
      word += s.slice(runStart, i);
      i++;
      if (i >= n) {
        if (flags & Split.UnescapeRelax && (!quote || flags & Split.Relax)) return { word: word + "\\", next: n };
        if (flags & Split.Relax) return { word, next: n };
        throw new SplitError("trailing backslash");
      }
      if (flags & Split.CUnescape) {
        const esc = cUnescapeOne(s, i);
        if (esc) {
          word += esc.text;
          i += esc.length;
        } else if (flags & Split.UnescapeRelax) {
          word += "\\" + s[i];
          i++;
        } else {
          throw new SplitError(`unsupported escape char '\\${s[i]}'`);
        }
      } else {
        word += s[i];
        i++;
      }
      runStart = i;
      continue;
    }
    if (quote) {
      // The closing quote: quotes are only ever opened when they are being stripped.
      word += s.slice(runStart, i);
      quote = 0;
      i++;
      runStart = i;
      continue;
    }
    if (unquote && (c === DOUBLE_QUOTE || c === SINGLE_QUOTE)) {
      word += s.slice(runStart, i);
      quote = c;
      i++;
      runStart = i;
      continue;
    }
    // A separator ends the word.
    word += s.slice(runStart, i);
    i++;
    if (!(flags & Split.DontCoalesceSeparators)) {
      while (i < n && isSeparatorAt(s, i, separators)) i++;
    }
    return { word, next: i };
  }
}

/** Characters that make a value need the full word-splitting rules. */
const QUOTE_OR_ESCAPE = /["'\\]/;
const BLANKS = /[ \t\n\r]+/;

/** Splits `s` into all its words. */
export function splitWords(s: string, flags: Split, separators: string = WHITESPACE): string[] {
  // Most values hold no quote and no backslash: their words are the runs between blanks,
  // cut out by one native split rather than a character-by-character walk.
  if (separators === WHITESPACE && !(flags & Split.DontCoalesceSeparators) && !QUOTE_OR_ESCAPE.test(s)) {
    const words = s.split(BLANKS);
    if (words.length > 0 && words[words.length - 1] === "") words.pop();
    if (words.length > 0 && words[0] === "") words.shift();
    return words;
  }
  return splitWordByWord(s, flags, separators);
}

/** {@link splitWords} by the full rules, one {@link extractFirstWord} at a time. */
export function splitWordByWord(s: string, flags: Split, separators: string = WHITESPACE): string[] {
  const words: string[] = [];
  let pos = 0;
  for (;;) {
    const { word, next } = extractFirstWord(s, pos, separators, flags);
    if (word === null) return words;
    words.push(word);
    pos = next;
  }
}

/** The flags quadlet uses for argument lists (`Exec=`, `PodmanArgs=`, …). */
export const ARGS_FLAGS = Split.Relax | Split.Unquote | Split.CUnescape;

/** Splits an argument list as systemd would for a command line. */
export function splitArgs(s: string): string[] {
  return splitWords(s, ARGS_FLAGS);
}

/**
 * Splits a list value whose words keep their escapes (podman's LookupAllStrv):
 * quotes are removed, backslashes kept.
 */
export function splitStrv(s: string): string[] {
  return splitWords(s, Split.RetainEscape | Split.Unquote | Split.Relax);
}
