/**
 * Atomic output: the generator is killed (SIGKILL) at many moments of a 1,000-unit run,
 * most of them while it is writing; whatever it left must be a subset of a complete run,
 * byte for byte, with temp files only under hidden names.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeCorpus } from "./corpus.js";
import { isHidden, snapshot, tempDir, type Entry } from "./support.js";

const ROOT = join(__dirname, "../..");

let work: string;
let bundle: string;
let corpus: string;

type Exit = { code: number | null; signal: NodeJS.Signals | null; ms: number };

/** Starts the bundled generator writing into `out`. */
function start(out: string): { child: ChildProcess; exited: Promise<Exit> } {
  const started = Date.now();
  const child = spawn(process.execPath, [bundle, "-no-kmsg-log", out], { env: { ...process.env, QUADLET_UNIT_DIRS: corpus }, stdio: "ignore" });
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, ms: Date.now() - started }));
  });
  return { child, exited };
}

/** Runs the generator into `out`, SIGKILLing it after `killAfterMs` when given. */
async function runKilledAfter(out: string, killAfterMs?: number): Promise<Exit> {
  const { child, exited } = start(out);
  const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  const exit = await exited;
  clearTimeout(timer);
  return exit;
}

/** Runs the generator into `out` and SIGKILLs it as soon as `out` holds `entries` visible names. */
async function runKilledWhileWriting(out: string, entries: number): Promise<Exit> {
  const { child, exited } = start(out);
  const poll = setInterval(() => {
    let names: string[];
    try {
      names = readdirSync(out);
    } catch {
      return; // not made yet
    }
    if (names.filter((n) => !n.startsWith(".")).length >= entries) child.kill("SIGKILL");
  }, 1);
  const exit = await exited;
  clearInterval(poll);
  return exit;
}

/** A small deterministic generator, so a failing run can be repeated. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

beforeAll(() => {
  work = tempDir("atomic");
  bundle = join(work, "quadlet.cjs");
  const build = spawnSync(process.execPath, [join(ROOT, "scripts/build.mjs"), "--outfile", bundle], { encoding: "utf8" });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  corpus = join(work, "corpus");
  writeCorpus(corpus, 1000);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }), 120_000);

describe("a generator killed at any moment", () => {
  it("leaves only complete files and links, each identical to a complete run's", async () => {
    const complete = await runKilledAfter(join(work, "complete"));
    expect(complete).toMatchObject({ code: 0, signal: null });
    const reference = snapshot(join(work, "complete"));
    expect([...reference.keys()].filter(isHidden)).toEqual([]);
    expect(reference.size).toBeGreaterThan(2000);
    const topLevel = [...reference.keys()].filter((p) => !p.includes("/")).length;

    /** Checks what a killed run left in `out`; returns whether it was a partial output. */
    const check = (out: string, exit: Exit, when: string): boolean => {
      const left = snapshot(out);
      const visible = [...left.entries()].filter(([path]) => !isHidden(path));
      for (const [path, entry] of visible) {
        expect(reference.get(path), `${path} after a kill ${when}`).toEqual(entry satisfies Entry);
      }
      for (const [path] of left) {
        // Hidden entries may only be our temp files.
        if (isHidden(path)) expect(path, `after a kill ${when}`).toMatch(/(^|\/)\.[^/]+\.\d+\.\d+\.tmp$/);
      }
      rmSync(out, { recursive: true, force: true });
      return exit.signal === "SIGKILL" && visible.length > 0 && visible.length < reference.size;
    };

    const random = lcg(Number(process.env.QUADLET_KILL_SEED ?? 20240611));
    // Kills at random times over the whole run, start-up included: mostly not mid-write.
    for (let i = 0; i < 3; i++) {
      const out = join(work, `timed-${i}`);
      const delay = Math.floor(random() * complete.ms * 1.1);
      check(out, await runKilledAfter(out, delay), `at ${delay} ms`);
    }
    // Kills once the output is 5% to 60% written: each must land mid-write.
    const watched = 6;
    let partial = 0;
    for (let i = 0; i < watched; i++) {
      const out = join(work, `writing-${i}`);
      const entries = Math.ceil(topLevel * (0.05 + random() * 0.55));
      if (check(out, await runKilledWhileWriting(out, entries), `after ${entries} files`)) partial++;
    }
    expect(partial, `kills that left a partial output, of ${watched}`).toBeGreaterThanOrEqual(watched / 2);
  }, 120_000);
});
