// The bench's target checks (bench/report.mjs): which cases each target reads, and its verdict.
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs module of the bench, without type declarations
import { checkTargets, GO } from "../../bench/report.mjs";

type Case = { target: string; mode: string; units: number; medianMs: number; cpuMs: number | null; vsNode: number; cpuVsNode: number | null; vsGo: number | null; cpuVsGo: number | null; peakRssMiB: number | null };
type Check = { target: string; what: string; value: number; limit: number; ok: boolean };

function run(target: string, mode: string, units: number, medianMs: number, more: Partial<Case> = {}): Case {
  return { target, mode, units, medianMs, cpuMs: medianMs, vsNode: 1, cpuVsNode: 1, vsGo: null, cpuVsGo: null, peakRssMiB: null, ...more };
}

const verdicts = (checks: Check[]) => Object.fromEntries(checks.map((c) => [`${c.target}: ${c.what}`, [c.value, c.ok]]));

describe("checkTargets", () => {
  it("holds verify and explain to the dry run at every size run, not only 1,000 units", () => {
    const cases = [
      run("bin/quadlet", "dry-run", 10, 40),
      run("bin/quadlet", "verify", 10, 44),
      run("bin/quadlet", "explain", 10, 40),
      run("bin/quadlet", "dry-run", 1000, 200),
      run("bin/quadlet", "verify", 1000, 190),
      run("bin/quadlet", "explain", 1000, 210),
    ];
    const v = verdicts(checkTargets(cases) as Check[]);
    expect(v["bin/quadlet: verify, 10 units, × its own dry run"]).toEqual([1.1, false]);
    expect(v["bin/quadlet: explain, 10 units, × its own dry run"]).toEqual([1, true]);
    expect(v["bin/quadlet: verify, 1,000 units, × its own dry run"]).toEqual([0.95, true]);
    expect(v["bin/quadlet: explain, 1,000 units, × its own dry run"]).toEqual([1.05, false]);
  });

  it("checks the 10-unit floor and the 1,000-unit Go ratios, and never checks podman's quadlet itself", () => {
    const cases = [
      run("bin/quadlet", "dry-run", 10, 40, { vsNode: 1.31 }),
      run("bin/quadlet", "dry-run", 1000, 90, { vsGo: 0.9, peakRssMiB: 70 }),
      run("bin/quadlet", "write", 1000, 200, { vsGo: 1.2, peakRssMiB: 81 }),
      run(GO, "dry-run", 1000, 100, { vsGo: 1 }),
    ];
    const checks = checkTargets(cases) as Check[];
    expect(checks.every((c) => c.target === "bin/quadlet")).toBe(true);
    const v = verdicts(checks);
    expect(v["bin/quadlet: dry run, 10 units, × node -e 0"]).toEqual([1.31, false]);
    expect(v["bin/quadlet: dry run, 1,000 units, × podman's quadlet"]).toEqual([0.9, true]);
    expect(v["bin/quadlet: write, 1,000 units, × podman's quadlet"]).toEqual([1.2, false]);
    expect(v["bin/quadlet: peak RSS, 1,000 units"]).toEqual([81, false]);
  });
});
