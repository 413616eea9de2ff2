/**
 * Big inputs go through in bounded memory: a 10 MB value over continuation lines, and
 * 5,000 tiny units through the whole generator. Bounds are loose on purpose. No time is
 * asserted (speed is the benchmark's business); a run that blows up quadratically or hangs
 * still fails, at the suite's time limit for a test (vitest.config.mts).
 */
import { readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseUnitText } from "../../src/parser/parse.js";
import { compileFiles, execWords } from "../helpers.js";
import { runOn, tempDir, writeTree } from "./support.js";

const MiB = 1024 * 1024;
const LIMIT = 512 * MiB;

function memoryOk(): void {
  const { rss, heapUsed } = process.memoryUsage();
  expect(heapUsed).toBeLessThan(LIMIT);
  expect(rss).toBeLessThan(LIMIT + 256 * MiB); // the test runner itself takes some
}

describe("big inputs", () => {
  it("a 10 MB value over continuation lines", () => {
    const piece = "x".repeat(1000);
    const lines = Array.from({ length: 10_000 }, () => `${piece} \\`);
    const text = `[Container]\nImage=registry.example.com/a:1\nExec=/bin/echo \\\n${lines.join("\n")}\nend\n`;
    expect(text.length).toBeGreaterThan(10 * 1000 * 1000);
    const unit = parseUnitText(text, "big.container", "/u/big.container");
    expect(unit.lookup("Container", "Exec")!.length).toBeGreaterThan(10_000_000);
    const words = execWords(compileFiles({ "big.container": text }).services.get("big.service")!);
    expect(words.filter((w) => w === piece)).toHaveLength(10_000);
    expect(words.at(-1)).toBe("end");
    memoryOk();
  });

  it("5,000 tiny units", () => {
    const units = tempDir("big-units");
    const files: Record<string, string> = {};
    for (let i = 0; i < 5000; i++) {
      files[i % 5 === 0 ? `v${i}.volume` : `c${i}.container`] = i % 5 === 0 ? "[Volume]\n" : `[Container]\nImage=registry.example.com/c:${i}\n[Install]\nWantedBy=default.target\n`;
    }
    writeTree(units, files);
    const out = tempDir("big-out");
    const { status, log } = runOn([units], out);
    expect(log.errors).toEqual([]);
    expect(status).toBe(0);
    expect(readdirSync(out).filter((n) => n.endsWith(".service"))).toHaveLength(5000);
    expect(readdirSync(`${out}/default.target.wants`)).toHaveLength(4000);
    memoryOk();
  });
});
