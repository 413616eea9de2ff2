import { describe, expect, it } from "vitest";
import { quotePathValue, quoteWords } from "../../src/text/quote.js";
import { Split, splitArgs, SplitError, splitStrv, splitWords } from "../../src/parser/words.js";

describe("splitArgs (systemd command-line splitting)", () => {
  it("splits on whitespace and removes quotes", () => {
    expect(splitArgs(`a "b c" 'd e' f`)).toEqual(["a", "b c", "d e", "f"]);
  });

  it("joins quoted and unquoted parts of one word", () => {
    expect(splitArgs(`--opt="a b"c`)).toEqual(["--opt=a bc"]);
  });

  it("decodes C escapes", () => {
    expect(splitArgs(String.raw`a\tb \x41 \101 \u00e9 \s`)).toEqual(["a\tb", "A", "A", "é", " "]);
  });

  it("keeps an empty quoted word and the words after it", () => {
    expect(splitArgs(`a "" b ''`)).toEqual(["a", "", "b", ""]);
  });

  it("fails on an unknown escape", () => {
    expect(() => splitArgs(String.raw`a\qb`)).toThrow(SplitError);
  });

  it("tolerates an unterminated quote in relaxed mode, and refuses it otherwise", () => {
    expect(splitArgs(`"abc`)).toEqual(["abc"]);
    expect(() => splitWords(`"abc`, Split.Unquote)).toThrow(SplitError);
  });
});

describe("splitStrv (list values that keep escapes)", () => {
  it("removes quotes but keeps backslashes", () => {
    expect(splitStrv(String.raw`a\:b "c d"`)).toEqual([String.raw`a\:b`, "c d"]);
  });
});

describe("quoteWords", () => {
  const roundTrip = (words: string[]) => expect(splitArgs(quoteWords(words))).toEqual(words);

  it("leaves plain words alone", () => {
    expect(quoteWords(["/usr/bin/podman", "run", "--name=x"])).toBe("/usr/bin/podman run --name=x");
  });

  it("quotes words with spaces and escapes control characters", () => {
    expect(quoteWords(["a b", "c\nd"])).toBe(String.raw`"a b" "c\nd"`);
    roundTrip(["a b", "c\nd", "tab\there", 'q"uote', "back\\slash", "", "it's", "é ü"]);
  });

  it("never lets a value start a new line", () => {
    expect(quoteWords(["x\n[Service]\nExecStart=/bin/evil"])).not.toContain("\n");
  });

  it("escapes a lone semicolon, which would otherwise separate commands", () => {
    expect(quoteWords(["a", ";", "b"])).toBe(`a ";" b`);
    roundTrip(["a", ";", "b"]);
  });

  it("passes specifiers through", () => {
    expect(quoteWords(["%h/data", "%i"])).toBe("%h/data %i");
  });
});

describe("quotePathValue", () => {
  it("writes spaces as \\x20 inside quotes", () => {
    expect(quotePathValue("/srv/my data")).toBe(String.raw`"/srv/my\x20data"`);
    expect(quotePathValue("/srv/data")).toBe("/srv/data");
  });
});
