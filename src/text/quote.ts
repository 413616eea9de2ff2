/**
 * The inverse of {@link splitArgs}: writes words so that systemd (and our own parser)
 * reads them back as exactly the same words. No value can end a line, add a key or
 * start a section, because every control character is written as an escape.
 *
 * `%` specifiers and `$VAR` references are left as they are: users write them on
 * purpose and expect systemd to expand them.
 */

// eslint-disable-next-line no-control-regex
const QUOTE_CHARS = /[\s"'\\\x00-\x1f\x7f]/;

/** Whether a word must be written in quotes: it is empty, or holds blanks, quotes or controls. */
function needsQuotes(word: string): boolean {
  return word.length === 0 || QUOTE_CHARS.test(word);
}

// Characters written as escapes, all replaced in one pass (not a string built a character
// at a time, which is slow and memory-hungry for long values).
// eslint-disable-next-line no-control-regex
const ESCAPE_ALL = /[\\"\x00-\x1f\x7f]/g;

const NAMED_ESCAPES: Record<string, string> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  '"': '\\"',
};

function escapeChar(c: string): string {
  const named = NAMED_ESCAPES[c];
  if (named) return named;
  return "\\x" + c.charCodeAt(0).toString(16).padStart(2, "0");
}

/** Escapes one word, quoting it when it holds whitespace, quotes or nothing at all. */
export function quoteWord(word: string): string {
  // An unquoted lone ";" separates commands in Exec lines; quoted, it is a plain word.
  if (word === ";") return '";"';
  if (!needsQuotes(word)) return word;
  return `"${word.replace(ESCAPE_ALL, escapeChar)}"`;
}

/** Joins words into a command line that systemd splits back into the same words. */
export function quoteWords(words: readonly string[]): string {
  return words.map(quoteWord).join(" ");
}

/**
 * The characters of {@link QUOTE_CHARS} but the plain space: what a line of words joined by
 * spaces may not hold anywhere if no word needs quoting.
 */
// eslint-disable-next-line no-control-regex
const QUOTE_CHARS_BUT_SPACE = /["'\\\x00-\x1f\x7f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/;

/**
 * What {@link quoteWords} gives, found with one search of the joined line when no word needs
 * quoting, as in most commands: the words are then the line as it is. A generated service
 * has commands of some fifty words, and a call per word was a measurable part of a boot.
 */
export function joinQuoted(words: readonly string[]): string {
  const line = words.join(" ");
  return QUOTE_CHARS_BUT_SPACE.test(line) || !plainWords(words, line) ? quoteWords(words) : line;
}

/** No word is empty or a lone ";", and the only spaces in `line` are those between words. */
function plainWords(words: readonly string[], line: string): boolean {
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.length === 0 || w === ";") return false;
  }
  let spaces = 0;
  for (let at = line.indexOf(" "); at !== -1; at = line.indexOf(" ", at + 1)) spaces++;
  return spaces === words.length - 1;
}

/**
 * Quotes a path for keys that take a list of paths (RequiresMountsFor=), writing
 * whitespace as `\x20`-style escapes as podman does, so the path stays one word.
 */
export function quotePathValue(path: string): string {
  if (!needsQuotes(path)) return path;
  return `"${path.replace(PATH_ESCAPE_ALL, escapePathChar)}"`;
}

// eslint-disable-next-line no-control-regex
const PATH_ESCAPE_ALL = /[\\"\x00-\x1f\x7f]|\s/g;

function escapePathChar(c: string): string {
  if (c === "\\" || c === '"') return NAMED_ESCAPES[c]!;
  const code = c.charCodeAt(0);
  // `\xNN` is one byte to systemd: beyond ASCII, only `\uNNNN` means the character.
  return code < 0x80 ? "\\x" + code.toString(16).padStart(2, "0") : "\\u" + code.toString(16).padStart(4, "0");
}
