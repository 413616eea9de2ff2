// What bench/run.mjs prints: the speed targets (README, Performance), checked against a run's cases,
// and the table of every case.

/** Limits: dry run 10 units against `node -e 0`; 1,000 units against podman's quadlet; verify and explain against our own dry run. */
export const TARGETS = { dryRun10VsNode: 1.3, dryRun1000VsGo: 1.0, write1000VsGo: 1.0, rssMiB1000: 80, checkVsDryRun: 1.0 };
export const GO = "podman quadlet (Go)";
export const READ_PRINT = "node read+print";

/** x / y to two decimals; null when either is missing. */
const ratio = (x, y) => (x == null || !y ? null : Math.round((x / y) * 100) / 100);

/** The targets, checked for each of our executables that ran the sizes they are about. */
export function checkTargets(cases) {
  const checks = [];
  const find = (target, mode, units) => cases.find((c) => c.target === target && c.mode === mode && c.units === units);
  const ours = [...new Set(cases.map((c) => c.target))].filter((t) => t !== GO && t !== READ_PRINT);
  for (const target of ours) {
    const dry10 = find(target, "dry-run", 10);
    const dry1000 = find(target, "dry-run", 1000);
    const write1000 = find(target, "write", 1000);
    if (dry10) checks.push({ target, what: "dry run, 10 units, × node -e 0", value: dry10.vsNode, cpu: dry10.cpuVsNode, limit: TARGETS.dryRun10VsNode, unit: "×" });
    if (dry1000?.vsGo != null) checks.push({ target, what: "dry run, 1,000 units, × podman's quadlet", value: dry1000.vsGo, cpu: dry1000.cpuVsGo, limit: TARGETS.dryRun1000VsGo, unit: "×" });
    if (write1000?.vsGo != null) checks.push({ target, what: "write, 1,000 units, × podman's quadlet", value: write1000.vsGo, cpu: write1000.cpuVsGo, limit: TARGETS.write1000VsGo, unit: "×" });
    const rss = [dry1000, write1000].map((c) => c?.peakRssMiB).filter((x) => typeof x === "number");
    if (rss.length) checks.push({ target, what: "peak RSS, 1,000 units", value: Math.max(...rss), limit: TARGETS.rssMiB1000, unit: " MiB" });
    // No size is named for these two: each is held to its own dry run at every size run.
    const sizes = [...new Set(cases.filter((c) => c.target === target).map((c) => c.units))].sort((a, b) => a - b);
    for (const units of sizes) {
      const dry = find(target, "dry-run", units);
      for (const mode of ["verify", "explain"]) {
        const c = find(target, mode, units);
        if (!c || !dry) continue;
        checks.push({ target, what: `${mode}, ${units.toLocaleString("en-US")} units, × its own dry run`, value: ratio(c.medianMs, dry.medianMs), cpu: ratio(c.cpuMs, dry.cpuMs), limit: TARGETS.checkVsDryRun, unit: "×" });
      }
    }
  }
  return checks.map((c) => ({ ...c, ok: c.value <= c.limit }));
}

/** What a case's runs produced, for the table's output column. */
function outputOf(c) {
  if (c.servicesWritten !== null) return `${c.servicesWritten} written`;
  if (c.unitsPrinted !== null) return `${c.unitsPrinted} printed`;
  return c.outputNote ?? "";
}

export function printTable(result) {
  const m = result.machine;
  console.log(`${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node ${m.node}; median of ${result.runs} runs; writes under ${result.writeRoot}`);
  console.log(`every run without ${result.removedEnv.length ? result.removedEnv.join(", ") : "NODE_* variables"} (none of NODE_* passed on)`);
  const floorCpu = result.floorCpuMs === undefined ? "" : `, CPU ${result.floorCpuMs.toFixed(1)} ms`;
  console.log(`node -e 0: ${result.floorMs.toFixed(1)} ms${floorCpu}` + (result.floorRssKiB ? `, ${(result.floorRssKiB / 1024).toFixed(1)} MiB` : ""));
  console.log("wall: median; CPU: user + system, mean of the same runs (the targets are about wall time)");
  const go = result.reference;
  console.log(go.path ? `podman quadlet ${go.version}: ${go.path} (${go.source})` : `podman quadlet: not timed: ${go.reason}`);
  const rows = [["target", "mode", "units", "median ms", "× node", "× Go", "min–max ms", "CPU ms", "CPU × node", "CPU × Go", "peak RSS MiB", "output", "exit"]];
  const fixed = (x, digits) => (x === null ? "–" : x.toFixed(digits));
  for (const c of result.cases) {
    const output = outputOf(c);
    rows.push([c.target, c.mode, String(c.units), c.medianMs.toFixed(1), c.vsNode.toFixed(2), fixed(c.vsGo, 2), `${c.minMs.toFixed(0)}–${c.maxMs.toFixed(0)}`, fixed(c.cpuMs, 1), fixed(c.cpuVsNode, 2), fixed(c.cpuVsGo, 2), c.peakRssMiB === null ? "n/a" : c.peakRssMiB.toFixed(1), output, c.exitStatus]);
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, j) => (j >= 2 && j <= 11 ? cell.padStart(widths[j]) : cell.padEnd(widths[j]))).join("  ").trimEnd());
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  if (result.targets.length) {
    console.log("\ntargets:");
    for (const t of result.targets) {
      const cpu = t.cpu == null ? "" : `; CPU ${t.cpu}${t.unit}`;
      console.log(`  ${t.ok ? "ok  " : "MISS"} ${t.target}: ${t.what}: ${t.value}${t.unit} (≤ ${t.limit}${t.unit})${cpu}`);
    }
  }
}

