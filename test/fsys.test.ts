import type * as nodeFs from "node:fs";
import { describe, expect, it } from "vitest";
import { fileSystemOf } from "../src/fsys.js";

describe("fileSystemOf", () => {
  it("reads text as UTF-8 through one options object for every file, not a string node copies on each call", () => {
    const seen: unknown[] = [];
    const fake = {
      readFileSync: (path: string, options: unknown) => {
        seen.push(options);
        return `text of ${path}`;
      },
    } as unknown as typeof nodeFs;
    const fs = fileSystemOf(fake);
    expect(fs.readText!("/a.container")).toBe("text of /a.container");
    expect(fs.readText!("/b.volume")).toBe("text of /b.volume");
    expect(seen).toHaveLength(2);
    expect(seen[0]).toBe(seen[1]);
    expect(seen[0]).toMatchObject({ encoding: "utf8" });
  });
});
