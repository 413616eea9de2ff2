/**
 * `quadlet graph`: units, edges with their origins, and the problems between units, as text,
 * Graphviz and JSON.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/index.js";
import { parseUnitText } from "../../src/parser/parse.js";
import { FIXTURES, runCommand, tempTree } from "./support.js";
import { checkSchema, GRAPH_SCHEMA } from "./schema.js";

const MISTAKES = join(FIXTURES, "mistakes");

/**
 * Three containers that each start after the next: front after queue, queue after store, and
 * store after front (it joins front's network). Not a fixture directory: systemd refuses the
 * cycle, and every fixture directory must pass systemd-analyze verify.
 */
const CYCLE_UNITS: Record<string, string> = {
  "front.container": "[Unit]\nAfter=queue.container\n\n[Container]\nImage=quay.io/example/front:1\n",
  "queue.container": "[Unit]\nRequires=store.container\nAfter=store.container\n\n[Container]\nImage=quay.io/example/queue:1\n",
  "store.container": "[Unit]\nBefore=queue.container\n\n[Container]\nImage=quay.io/example/store:1\nNetwork=front.container\n",
};

let CYCLE: string;
let removeCycle: () => void;
beforeAll(() => {
  const t = tempTree(CYCLE_UNITS);
  CYCLE = t.root;
  removeCycle = t.remove;
});
afterAll(() => removeCycle());

/** Whether the analysis reports references as edges (the graph's fixture tests need it). */
const analysisHasEdges =
  analyze([parseUnitText("[Container]\nImage=quay.io/a/b\nNetwork=n.network\n", "w.container", "/x/w.container"), parseUnitText("[Network]\n", "n.network", "/x/n.network")], { userMode: false, podman: "podman" }).edges.length > 0;

describe("quadlet graph", () => {
  it("lists the units, and the files that make one service or one podman name twice", async () => {
    const r = await runCommand("graph", [MISTAKES]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^Units:\n {2}admin-old\.container +admin\.service\n/);
    expect(r.stdout).toMatch(/^ {2}typo\.container +typo\.service {2}\(fails to compile\)$/m);
    expect(r.stdout).toContain("\nProblems:\n");
    expect(r.stdout).toContain("\n  mistakes/admin-old.container:4: warning[QL0502]: ");
    expect(r.stdout).toContain("  mistakes/reports-db.container:4: error[QL0713]: ");
  });

  it("prints Graphviz with one node per unit", async () => {
    const r = await runCommand("graph", ["--format", "dot", join(FIXTURES, "site")]);
    expect(r.stdout).toMatch(/^digraph quadlet \{\n/);
    expect(r.stdout).toContain('  "web.container" [label="web.container\\nweb.service"];\n');
    expect(r.stdout).toMatch(/\}\n$/);
    expect(r.status).toBe(0);
  });

  it("prints a JSON document that matches the documented schema", async () => {
    for (const dir of [MISTAKES, CYCLE, join(FIXTURES, "site")]) {
      const doc = JSON.parse((await runCommand("graph", ["--format=json", dir])).stdout);
      expect(checkSchema(doc, GRAPH_SCHEMA)).toEqual([]);
      expect(doc.summary.edges).toBe(doc.edges.length);
    }
  });

  describe.runIf(analysisHasEdges)("with the analysis' edges", () => {
    it("finds the three-unit cycle and names each of its edges", async () => {
      const r = await runCommand("graph", ["--format", "json", CYCLE]);
      expect(r.status).toBe(1);
      const cycles = JSON.parse(r.stdout).diagnostics.filter((d: { code: string }) => d.code === "QL0711");
      expect(cycles).toHaveLength(1);
      expect(cycles[0].message).toBe(
        `dependency cycle, each unit starting after the next: front.container → queue.container (After= at ${CYCLE}/front.container:2) → store.container (After= at ${CYCLE}/queue.container:3) → front.container (Network= at ${CYCLE}/store.container:6)`,
      );
    });

    it("verify reports the cycle too", async () => {
      const r = await runCommand("verify", ["."], { cwd: CYCLE });
      expect(r.stdout).toMatch(/^front\.container:2: error\[QL0711\]: dependency cycle/m);
    });

    it("explains a templated pod reference, and lists the edge as not found", async () => {
      const r = await runCommand("graph", [MISTAKES]);
      expect(r.stdout).toMatch(/^ {2}db@\.container -> db@%i\.pod {2}Pod= at mistakes\/db@\.container:3 {2}\(not found\)$/m);
      expect(r.stdout).toContain("error[QL0712]: Pod=db@%i.pod cannot be resolved");
      const v = await runCommand("verify", ["mistakes/db@.container"]);
      expect(v.stdout).toContain("mistakes/db@.container:3: note[QL0712]: ");
    });
  });
});
