/**
 * The checks between units, on hand-made units and edges: cycles, missing units, one service
 * made twice, one podman name given twice, and template references.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { GRAPH_CODES } from "../../src/analysis/graph-codes.js";
import type { Edge } from "../../src/analysis/analysis.js";
import { findCycles, graphProblems, missingReferences, samePodmanName, sameService, templateReferences, type GraphUnit } from "../../src/analysis/graph.js";

const D = "/etc/containers/systemd";

function unit(name: string, more: Partial<GraphUnit> = {}): GraphUnit {
  const base = name.slice(0, name.lastIndexOf("."));
  const kind = name.slice(name.lastIndexOf(".") + 1);
  return { name, path: `${D}/${name}`, serviceFile: `${base}${kind === "container" ? "" : "-" + kind}.service`, resource: { kind, name: `systemd-${base}` }, ok: true, ...more };
}

function edge(from: string, to: string, key: string, line: number, more: Partial<Edge> = {}): Edge {
  const kind = key === "Network" ? "network" : key === "Volume" ? "volume" : key === "Pod" ? "pod" : key === "Image" ? "image" : "unit";
  return { from, to, kind, key, file: `${D}/${from}`, line, resolved: true, ...more };
}

describe("findCycles", () => {
  it("finds a three-unit cycle and names each edge with its file and line", () => {
    const edges = [edge("a.container", "b.container", "After", 2), edge("b.container", "c.network", "Network", 5), edge("c.network", "a.container", "After", 3)];
    const [d, ...rest] = findCycles(edges);
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ code: "QL0711", severity: "error", file: `${D}/a.container`, line: 2, key: "After" });
    expect(d!.message).toBe(
      `dependency cycle, each unit starting after the next: a.container → b.container (After= at ${D}/a.container:2) → c.network (Network= at ${D}/b.container:5) → a.container (After= at ${D}/c.network:3)`,
    );
  });

  it("reads Before= the other way round, and reports a loop of one unit", () => {
    // b after a (After= in b), a after b (Before= in b): a cycle of two, both written in b.
    const two = findCycles([edge("b.container", "a.container", "After", 2), edge("b.container", "a.container", "Before", 3)]);
    expect(two).toHaveLength(1);
    expect(two[0]!.message).toContain("(Before= at /etc/containers/systemd/b.container:3)");
    expect(findCycles([edge("a.container", "a.container", "After", 4)])).toHaveLength(1);
  });

  it("finds no cycle where nothing is ordered: Requires= and Wants= alone, or a chain", () => {
    expect(findCycles([edge("a.container", "b.container", "Requires", 2), edge("b.container", "a.container", "Wants", 2)])).toEqual([]);
    expect(findCycles([edge("a.container", "b.volume", "Volume", 2), edge("b.volume", "c.image", "Image", 2)])).toEqual([]);
  });

  it("leaves out edges to units that were not found, and survives a long chain", () => {
    expect(findCycles([edge("a.container", "a.container", "After", 2, { resolved: false })])).toEqual([]);
    const chain = Array.from({ length: 5000 }, (_, i) => edge(`u${i}.container`, `u${i + 1}.container`, "After", 1));
    chain.push(edge("u5000.container", "u0.container", "After", 1));
    expect(findCycles(chain)).toHaveLength(1);
  });
});

describe("missingReferences", () => {
  it("reports a quadlet unit that is not there, and nothing for one that is", () => {
    const units = [unit("web.container"), unit("app.network")];
    const edges = [edge("web.container", "app.network", "Network", 3), edge("web.container", "gone.volume", "Volume", 4, { resolved: false })];
    const out = missingReferences(units, edges);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: "QL0401", severity: "error", line: 4, key: "Volume", message: "web.container refers to gone.volume, which does not exist" });
  });
});

describe("sameService", () => {
  it("warns the file that is not written, naming the last one in search order as the winner", () => {
    const first = unit("web.container", { path: "/run/containers/systemd/web.container" });
    const second = unit("site.container", { serviceFile: "web.service", serviceAt: { file: `${D}/site.container`, line: 4, key: "ServiceName" } });
    const out = sameService([first, second]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: "QL0502", severity: "warning", file: "/run/containers/systemd/web.container" });
    expect(out[0]!.message).toContain(`${D}/site.container is written`);
  });

  it("lets a file that compiles win over a later one that does not, as the generator does", () => {
    const out = sameService([unit("a.container", { serviceFile: "x.service" }), unit("b.container", { serviceFile: "x.service", ok: false })]);
    expect(out[0]!.file).toBe(`${D}/b.container`);
  });
});

describe("samePodmanName", () => {
  it("is an error for two containers, a warning for two volumes, and ignores names with a specifier", () => {
    const units = [
      unit("a.container", { resource: { kind: "container", name: "db" }, resourceAt: { file: `${D}/a.container`, line: 3, key: "ContainerName" } }),
      unit("b.container", { resource: { kind: "container", name: "db" }, resourceAt: { file: `${D}/b.container`, line: 5, key: "ContainerName" } }),
      unit("a.volume", { resource: { kind: "volume", name: "data" } }),
      unit("b.volume", { resource: { kind: "volume", name: "data" } }),
      unit("t@.container", { resource: { kind: "container", name: "x-%i" } }),
      unit("u@.container", { resource: { kind: "container", name: "x-%i" } }),
      unit("a.image", { resource: { kind: "image", name: "quay.io/a" } }),
      unit("b.image", { resource: { kind: "image", name: "quay.io/a" } }),
    ];
    const out = samePodmanName(units);
    expect(out.map((d) => [d.file, d.line, d.severity])).toEqual([
      [`${D}/b.container`, 5, "error"],
      [`${D}/b.volume`, undefined, "warning"],
    ]);
  });

  it("does not count a file whose service is not written", () => {
    const units = [unit("a.container", { serviceFile: "x.service", resource: { kind: "container", name: "db" } }), unit("b.container", { serviceFile: "x.service", resource: { kind: "container", name: "db" } })];
    expect(samePodmanName(units)).toEqual([]);
  });
});

describe("templateReferences", () => {
  const units = [unit("db@.pod", { serviceFile: "db-pod@.service", resource: { kind: "pod", name: "systemd-db-%i" } }), unit("web@.container")];

  it("explains Pod=db@%i.pod, and says what works instead", () => {
    const out = templateReferences(units, [edge("web@.container", "db@%i.pod", "Pod", 3, { resolved: false })]);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ code: "QL0712", severity: "error", line: 3, key: "Pod" });
    expect(out[0]!.message).toContain("before systemd expands %i");
    expect(out[0]!.hint).toContain("PodmanArgs=--pod=systemd-db-%i");
    expect(out[0]!.hint).toContain("Requires=db-pod@%i.service and After=db-pod@%i.service");
  });

  it("says an instance without a file of its own needs one, and that a missing template is missing", () => {
    const [one] = templateReferences(units, [edge("web.container", "db@blue.pod", "Pod", 2, { resolved: false })]);
    expect(one!.hint).toContain("add db@blue.pod as a symlink to db@.pod");
    const [none] = templateReferences(units, [edge("web.container", "cache@1.volume", "Volume", 2, { resolved: false, kind: "volume" })]);
    expect(none!.message).toContain("there is no such template");
    expect(missingReferences(units, [edge("web.container", "cache@1.volume", "Volume", 2, { resolved: false })])).toEqual([]);
  });

  it("is quiet for an instance that resolves", () => {
    expect(templateReferences([...units, unit("db@blue.pod")], [edge("web.container", "db@blue.pod", "Pod", 2)])).toEqual([]);
  });
});

describe("graphProblems", () => {
  it("gives nothing for a sound set of units", () => {
    const units = [unit("web.container"), unit("app.network"), unit("data.volume")];
    const edges = [edge("web.container", "app.network", "Network", 3), edge("web.container", "data.volume", "Volume", 4)];
    expect(graphProblems(units, edges)).toEqual([]);
  });
});

describe("the codes' documentation", () => {
  it("has every code of verify and graph in quadlet-verify(1), with its severity and title", () => {
    const page = readFileSync(join(__dirname, "../../man/quadlet-verify.1.md"), "utf8");
    for (const [code, info] of Object.entries(GRAPH_CODES)) {
      const severity = code === "QL0713" ? "error or warning" : info.severity;
      expect(page).toContain(`**${code}** ${severity}: ${info.title}\n`);
    }
  });
});
