/** analyze() and explainUnit(): the contract the subcommands (verify, explain, graph) read. */
import { describe, expect, it } from "vitest";
import { analyze, explainUnit } from "../../src/analysis/index.js";
import { CODES } from "../../src/analysis/codes.js";
import { compileAll } from "../../src/generator/index.js";
import { parseUnitText } from "../../src/parser/parse.js";
import type { UnitFile } from "../../src/parser/unitfile.js";

const DIR = "/etc/containers/systemd";
const OPTS = { userMode: false, podman: "/usr/bin/podman" };

function units(files: Record<string, string>, dropins: Record<string, Record<string, string>> = {}): UnitFile[] {
  return Object.entries(files).map(([name, text]) => {
    const u = parseUnitText(text, name, `${DIR}/${name}`);
    for (const [conf, t] of Object.entries(dropins[name] ?? {})) u.merge(parseUnitText(t, conf, `${DIR}/${name}.d/${conf}`));
    return u;
  });
}

describe("analyze", () => {
  it("gives each problem its code, file, line, key and hint", () => {
    const a = analyze(units({ "web.container": "[Container]\nImgae=x\nImage=registry.example.com/web:1\n" }), OPTS);
    const [web] = a.units;
    expect(web!.status).toBe("error");
    expect(web!.diagnostics).toEqual([
      expect.objectContaining({ code: "QL0101", severity: "error", file: `${DIR}/web.container`, line: 2, key: "Imgae", hint: "did you mean Image?" }),
    ]);
  });

  it("keeps a unit's warnings from every file, drop-ins included, and still generates it", () => {
    const a = analyze(units({ "web.container": "[Container]\nImage=registry.example.com/web:1\nNotify=maybe\n" }, { "web.container": { "10-up.conf": "[Container]\nAutoUpdate=bogus\n" } }), OPTS);
    const [web] = a.units;
    expect(web!.status).toBe("ok");
    expect(web!.dropins).toEqual([`${DIR}/web.container.d/10-up.conf`]);
    expect(web!.diagnostics.map((d) => [d.code, d.file, d.line])).toEqual([
      ["QL0203", `${DIR}/web.container`, 3],
      ["QL0203", `${DIR}/web.container.d/10-up.conf`, 2],
    ]);
    expect(web!.diagnostics[1]!.hint).toBe("accepted: registry, local");
  });

  it("keeps a unit's warnings when a later error stops it", () => {
    const a = analyze(units({ "web.container": "[Container]\nImage=nginx\nNotify=maybe\nTmpfs=/a:b:c\n[Service]\nUser=web\n" }), OPTS);
    const [web] = a.units;
    expect(web!.status).toBe("error");
    expect(web!.diagnostics.map((d) => `${d.code}:${d.line}`)).toEqual(["QL0601:2", "QL0203:3", "QL0207:4", "QL0303:6"]);
  });

  it("names a mis-cased section", () => {
    const a = analyze(units({ "db.volume": "[volume]\nDriver=local\n" }), OPTS);
    expect(a.units[0]!.diagnostics).toEqual([expect.objectContaining({ code: "QL0103", line: 1, hint: "did you mean [Volume]?" })]);
  });

  it("turns references into edges, and a missing target into a diagnostic on its line", () => {
    const a = analyze(
      units({
        "web.container": "[Unit]\nRequires=db.container\n[Container]\nImage=registry.example.com/web:1\nNetwork=app.network\nVolume=data.volume:/data\nPod=missing.pod\n",
        "app.network": "",
        "db.container": "[Container]\nImage=registry.example.com/db:1\nMount=type=volume,source=data.volume,destination=/x\n",
      }),
      OPTS,
    );
    const edges = a.edges.map((e) => `${e.from} ${e.kind} ${e.to} ${e.key}:${e.line} ${e.resolved}`);
    expect(edges).toEqual([
      "web.container network app.network Network:5 true",
      "web.container volume data.volume Volume:6 false",
      "web.container pod missing.pod Pod:7 false",
      "web.container unit db.container Requires:2 true",
      "db.container mount data.volume Mount:3 false",
    ]);
    const web = a.units.find((u) => u.name === "web.container")!;
    const missing = web.diagnostics.filter((d) => d.code === "QL0401").map((d) => d.line);
    expect(missing).toEqual([6, 7]);
  });

  it("warns on the unit whose service a later unit makes too", () => {
    const a = analyze(units({ "web.container": "[Container]\nImage=registry.example.com/a:1\n", "web.kube": "[Kube]\nYaml=/srv/web.yaml\n" }), OPTS);
    expect(a.units.map((u) => u.diagnostics.map((d) => d.code))).toEqual([["QL0502"], []]);
  });

  it("uses only codes of the catalogue", () => {
    const a = analyze(units({ "a.container": "[Container]\nExec=x\n", "b.container": "[Container]\nImage=a\nRootfs=/r\n", "c.network": "[Network]\nGateway=10.0.0.1\n" }), OPTS);
    for (const u of a.units) for (const d of u.diagnostics) expect(Object.keys(CODES)).toContain(d.code);
    expect(a.units.map((u) => u.diagnostics.map((d) => d.code))).toEqual([["QL0301"], ["QL0302"], ["QL0302"]]);
  });
});

describe("the generator's edges", () => {
  it("are the references it resolved, and every dependency on another unit's service comes from one", () => {
    const files = units({
      "web.container": "[Unit]\nWants=db.container\n[Container]\nImage=base.image\nNetwork=app.network\nVolume=data.volume:/d\nPod=p.pod\n",
      "base.image": "[Image]\nImage=registry.example.com/base:1\n",
      "app.network": "",
      "data.volume": "",
      "p.pod": "",
      "db.container": "[Container]\nImage=registry.example.com/db:1\n",
    });
    const web = compileAll(files, OPTS).find((r) => r.source.filename === "web.container")!;
    if (!web.ok) throw new Error(web.errors.join("; "));
    const edges = web.service.edges!.map((e) => `${e.kind} ${e.to} ${e.key}:${e.line}`);
    expect(edges).toEqual(["unit db.container Wants:2", "image base.image Image:4", "network app.network Network:5", "volume data.volume Volume:6", "pod p.pod Pod:7"]);
    const deps = web.service.unit.entries("Unit").filter((l) => /^(Requires|BindsTo)$/.test(l.key)).map((l) => l.value);
    expect(deps).toEqual(["base-image.service", "app-network.service", "data-volume.service", "p-pod.service"]);
  });
});

describe("explainUnit", () => {
  const files = units(
    { "web.container": "[Container]\nImage=registry.example.com/web:1\nNetwork=app.network\nReadOnly=yes\n", "app.network": "" },
    { "web.container": { "20-port.conf": "[Container]\nPublishPort=8080:80\n" } },
  );
  const e = explainUnit(files, "web.container", OPTS)!;

  it("lists the merged files and the service text", () => {
    expect(e.merged).toEqual([`${DIR}/web.container`, `${DIR}/web.container.d/20-port.conf`]);
    expect(e.text).toContain("ExecStart=/usr/bin/podman run");
    expect(e.shadowed).toEqual([]);
  });

  it("traces every podman word to a line, a drop-in line, or a named default", () => {
    const start = e.commands.find((c) => c.key === "ExecStart")!;
    const where = (word: string) => {
      const f = start.words.find((w) => w.word === word)!.from;
      return f.kind === "line" ? `${f.file.slice(DIR.length + 1)}:${f.line}` : f.name;
    };
    expect(where("--cgroups=split")).toBe("--cgroups=split: default for containers");
    expect(where("--read-only")).toBe("web.container:4");
    expect(where("--network")).toBe("web.container:3");
    expect(where("systemd-app")).toBe("web.container:3");
    expect(where("8080:80")).toBe("web.container.d/20-port.conf:2");
    expect(where("--publish")).toBe("web.container.d/20-port.conf:2");
    expect(where("registry.example.com/web:1")).toBe("web.container:2");
    for (const c of e.commands) for (const w of c.words) expect(w.from).toBeDefined();
  });

  it("traces the generated dependency on the network to the Network= line", () => {
    const req = e.lines.find((l) => l.key === "Requires" && l.value === "app-network.service")!;
    expect(req.from).toEqual({ kind: "line", file: `${DIR}/web.container`, line: 3, key: "Network" });
  });

  it("is undefined for a unit that is not there", () => {
    expect(explainUnit(files, "nope.container", OPTS)).toBeUndefined();
  });
});
