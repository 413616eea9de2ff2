/**
 * Properties of word splitting and quoting, over generated inputs.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { joinQuoted, quotePathValue, quoteWord, quoteWords } from "../../src/text/quote.js";
import { ARGS_FLAGS, Split, SplitError, splitArgs, splitStrv, splitWordByWord, splitWords } from "../../src/parser/words.js";

/** Characters that make quoting hard, mixed with ordinary and non-ASCII ones. */
const tricky = fc.constantFrom(" ", "\t", "\n", "\r", '"', "'", "\\", ";", "%", "$", "=", "#", "[", "]", "\x01", "\x1b", "\x7f", "\u00e9", "\u2028", "\u00a0", "\ufeff", "😀", "a", "x", "0");
/** A word: any Unicode text except NUL (no unit file can hold one), with the tricky characters often. */
const word = fc.oneof(
  fc.string({ unit: tricky, maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 12 }),
  fc.string({ maxLength: 12 }),
  fc.constantFrom("", ";", "\\;", '";"', "\\", "''", '""'),
).filter((w) => !w.includes("\0"));

describe("quoting", () => {
  it("splitArgs(quoteWords(w)) is w, for any list of words", () => {
    fc.assert(
      fc.property(fc.array(word, { maxLength: 8 }), (words) => {
        expect(splitArgs(quoteWords(words))).toEqual(words);
      }),
      { numRuns: 5000 },
    );
  });

  it("joinQuoted gives what quoteWords gives, whichever characters the words hold", () => {
    const piece = fc.constantFrom("a", "-", "=", " ", "\t", "\u00a0", "\u2028", "\ufeff", '"', "'", "\\", ";", "%", "\x01", "\x7f", "\u00e9");
    const anyWord = fc.oneof(fc.array(piece, { maxLength: 4 }).map((p) => p.join("")), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(anyWord, { maxLength: 8 }), (words) => {
        expect(joinQuoted(words)).toBe(quoteWords(words));
      }),
      { numRuns: 5000 },
    );
    // Most commands need no quotes at all: the fast path is the line itself.
    expect(joinQuoted(["/usr/bin/podman", "run", "--name", "web", "img:1"])).toBe("/usr/bin/podman run --name web img:1");
  });

  it("a quoted path is one word that splits back to the path", () => {
    fc.assert(
      fc.property(word, (p) => {
        const q = quotePathValue(p);
        expect(splitArgs(q)).toEqual([p]);
        expect(q).not.toMatch(/[\s\0]/u);
      }),
      { numRuns: 5000 },
    );
  });

  it("a quoted word never holds a line break, and never is a lone ';'", () => {
    fc.assert(
      fc.property(word, (w) => {
        const q = quoteWord(w);
        expect(q).not.toMatch(/[\n\r\0]/);
        expect(q).not.toBe(";");
        expect(q.endsWith("\\")).toBe(false);
      }),
      { numRuns: 5000 },
    );
  });
});

describe("splitting", () => {
  /** Any text, biased towards quotes, escapes and separators. */
  const text = fc.oneof(fc.string({ unit: tricky, maxLength: 40 }), fc.string({ maxLength: 40 }), fc.string({ unit: "binary", maxLength: 40 }));
  const flags = fc.integer({ min: 0, max: 63 }) as fc.Arbitrary<Split>;

  it("throws nothing but SplitError, with any flags", () => {
    fc.assert(
      fc.property(text, flags, (s, f) => {
        try {
          const words = splitWords(s, f);
          expect(Array.isArray(words)).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(SplitError);
        }
      }),
      { numRuns: 10000 },
    );
  });

  it("the quick split of values without quotes or backslashes gives what the full rules give", () => {
    const plain = fc.oneof(text, fc.string({ unit: fc.constantFrom(" ", "\t", "\n", "\r", "a", "=", "\u00a0", "\u2028", "é"), maxLength: 30 }));
    const outcome = (split: () => string[]): string[] | string => {
      try {
        return split();
      } catch (err) {
        return (err as Error).message;
      }
    };
    fc.assert(
      fc.property(plain, flags, (s, f) => {
        expect(outcome(() => splitWords(s, f))).toEqual(outcome(() => splitWordByWord(s, f)));
      }),
      { numRuns: 10000 },
    );
  });

  it("relaxed splitting (lists of strings) never throws", () => {
    fc.assert(
      fc.property(text, (s) => {
        splitStrv(s);
      }),
      { numRuns: 5000 },
    );
  });

  it("splitting what quoting wrote again is stable: quote(split(s)) splits to split(s)", () => {
    fc.assert(
      fc.property(text, (s) => {
        let words: string[];
        try {
          words = splitWords(s, ARGS_FLAGS);
        } catch {
          return;
        }
        if (words.some((w) => w.includes("\0"))) return;
        expect(splitArgs(quoteWords(words))).toEqual(words);
      }),
      { numRuns: 5000 },
    );
  });
});
