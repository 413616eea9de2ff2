import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseArgs, runGenerator } from "../../src/cli.js";
import { hostFs } from "../../src/fsys.js";
import { CollectingLogger } from "../../src/log.js";
import { discoverUnits, dropinDirNames } from "../../src/parser/discover.js";
import { UnitFile } from "../../src/parser/unitfile.js";

let root: string;

function put(path: string, text: string): void {
  const full = join(root, path);
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, text);
}

function discover(dirs: string[]) {
  const log = new CollectingLogger();
  const found = discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: dirs.map((d) => join(root, d)).join(":") }, uid: 0 }, hostFs, log);
  const byName = new Map(found.units.map((u) => [u.filename, u]));
  return { ...found, byName, log };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "quadlet-discover-"));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe("finding units", () => {
  it("reads subdirectories but not drop-in directories, and lets the first file of a name win", () => {
    put("a/web.container", "[Container]\nImage=first\n");
    put("a/sub/deeper/api.container", "[Container]\nImage=api\n");
    put("b/web.container", "[Container]\nImage=second\n");
    put("a/web.container.d/x.container", "[Container]\nImage=not-a-unit\n");
    const { byName } = discover(["a", "b"]);
    expect([...byName.keys()].sort()).toEqual(["api.container", "web.container"]);
    expect(byName.get("web.container")!.lookup("Container", "Image")).toBe("first");
  });

  it("ignores files that are not quadlet units", () => {
    put("a/notes.txt", "hello");
    put("a/web.service", "[Service]\n");
    expect(discover(["a"]).units).toEqual([]);
  });

  it("follows symlinked files and directories", () => {
    put("real/web.container", "[Container]\nImage=linked\n");
    mkdirSync(join(root, "a"));
    symlinkSync(join(root, "real"), join(root, "a", "linked-dir"));
    put("other/api.container", "[Container]\nImage=api\n");
    symlinkSync(join(root, "other/api.container"), join(root, "a", "api.container"));
    const { byName } = discover(["a"]);
    expect(byName.get("web.container")!.lookup("Container", "Image")).toBe("linked");
    expect(byName.get("api.container")!.lookup("Container", "Image")).toBe("api");
  });

  it("reports a file that does not parse and still reads the others", () => {
    put("a/bad.container", "[Container]\nthis is not a key\n");
    put("a/good.container", "[Container]\nImage=x\n");
    const { units, errors } = discover(["a"]);
    expect(units.map((u) => u.filename)).toEqual(["good.container"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/bad\.container:2:/);
  });

  it("lists the searched directories when there is nothing to read", () => {
    const { units, searchPaths } = discover(["nothing-here"]);
    expect(units).toEqual([]);
    expect(searchPaths).toEqual([join(root, "nothing-here")]);
  });
});

describe("drop-ins", () => {
  it("merges .conf files in name order, whatever directory they come from", () => {
    put("a/web.container", "[Container]\nImage=base\nLabel=from=unit\n");
    put("a/web.container.d/20-b.conf", "[Container]\nLabel=from=20\n");
    put("a/container.d/10-a.conf", "[Container]\nLabel=from=10\n");
    put("a/web.container.d/ignored.txt", "[Container]\nLabel=from=txt\n");
    const web = discover(["a"]).byName.get("web.container")!;
    expect(web.lookupAll("Container", "Label")).toEqual(["from=unit", "from=10", "from=20"]);
  });

  it("reads a drop-in that applies to many units once, and gives each unit its lines with their origin", () => {
    put("a/one.container", "[Container]\nImage=one\n");
    put("a/two.container", "[Container]\nImage=two\n");
    put("a/container.d/10-shared.conf", "# shared\n[Container]\nLabel=shared=yes\n");
    const reads: string[] = [];
    const counting = { ...hostFs, readText: (p: string) => (reads.push(p), hostFs.readText!(p)), readFile: (p: string) => (reads.push(p), hostFs.readFile(p)) };
    const found = discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: join(root, "a") }, uid: 0 }, counting, new CollectingLogger());
    const shared = join(root, "a/container.d/10-shared.conf");
    expect(reads.filter((p) => p === shared)).toHaveLength(1);
    for (const unit of found.units) {
      expect(unit.lookupAll("Container", "Label")).toEqual(["shared=yes"]);
      expect(unit.lookupLine("Container", "Label")!.origin).toEqual({ file: shared, line: 3 });
    }
    expect(found.units).toHaveLength(2);
  });

  it("lets the most specific directory win for a .conf of the same name", () => {
    put("a/foo-bar.container", "[Container]\nImage=base\n");
    put("a/container.d/10.conf", "[Container]\nImage=top-level\n");
    put("a/foo-.container.d/10.conf", "[Container]\nImage=prefix\n");
    put("a/foo-bar.container.d/10.conf", "[Container]\nImage=own\n");
    const unit = discover(["a"]).byName.get("foo-bar.container")!;
    expect(unit.lookupAll("Container", "Image")).toEqual(["base", "own"]);
  });

  it("applies truncated-prefix drop-ins", () => {
    put("a/app-web-1.container", "[Container]\nImage=base\n");
    put("a/app-.container.d/10.conf", "[Container]\nLabel=tier=app\n");
    put("a/app-web-.container.d/20.conf", "[Container]\nLabel=role=web\n");
    const unit = discover(["a"]).byName.get("app-web-1.container")!;
    expect(unit.lookupAll("Container", "Label")).toEqual(["tier=app", "role=web"]);
  });

  it("gives an instance its template's drop-ins and its own, the instance's winning", () => {
    put("a/worker@.container", "[Container]\nImage=base\n");
    put("a/worker@emails.container", "[Container]\nImage=base\n");
    put("a/worker@.container.d/10.conf", "[Container]\nLabel=shared=yes\n");
    put("a/worker@.container.d/20.conf", "[Container]\nImage=template\n");
    put("a/worker@emails.container.d/20.conf", "[Container]\nImage=instance\n");
    const { byName } = discover(["a"]);
    const instance = byName.get("worker@emails.container")!;
    expect(instance.lookupAll("Container", "Label")).toEqual(["shared=yes"]);
    expect(instance.lookup("Container", "Image")).toBe("instance");
    expect(byName.get("worker@.container")!.lookup("Container", "Image")).toBe("template");
  });

  it("reads drop-ins from every search directory, the earlier directory winning", () => {
    put("a/web.container", "[Container]\nImage=base\n");
    put("a/web.container.d/10.conf", "[Container]\nLabel=dir=a\n");
    put("b/web.container.d/10.conf", "[Container]\nLabel=dir=b\n");
    put("b/web.container.d/20.conf", "[Container]\nLabel=also=b\n");
    const web = discover(["a", "b"]).byName.get("web.container")!;
    expect(web.lookupAll("Container", "Label")).toEqual(["dir=a", "also=b"]);
  });
});

describe("a drop-in that does not parse", () => {
  it("is left out whole and reported with its file and line; the unit keeps its other drop-ins", () => {
    put("a/web.container", "[Container]\nImage=base\nLabel=from=unit\n");
    put("a/web.container.d/10-ok.conf", "[Container]\nLabel=from=10\n");
    put("a/web.container.d/20-bad.conf", "[Container]\nLabel=from=20\n[Service]\nRestart=always\nthis is not a key\n");
    put("a/web.container.d/30-ok.conf", "[Container]\nLabel=from=30\n");
    const { byName, errors } = discover(["a"]);
    const web = byName.get("web.container")!;
    // Not even the lines before the bad one, nor the group it opened.
    expect(web.lookupAll("Container", "Label")).toEqual(["from=unit", "from=10", "from=30"]);
    expect(web.hasGroup("Service")).toBe(false);
    expect(errors).toEqual([
      `error loading "${join(root, "a/web.container.d/20-bad.conf")}": ${join(root, "a/web.container.d/20-bad.conf")}:5: "this is not a key" is not a [Section] header, a Key=Value line or a comment`,
    ]);
  });

  it("in a shared drop-in directory is reported once, and every unit is still made", () => {
    put("a/web.container", "[Container]\nImage=web\n");
    put("a/api.container", "[Container]\nImage=api\n");
    put("a/container.d/10.conf", "Label=before-any-section\n");
    const { units, errors } = discover(["a"]);
    expect(units.map((u) => u.filename).sort()).toEqual(["api.container", "web.container"]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/container\.d\/10\.conf:1: "Label=before-any-section" comes before any \[Section\] header$/);
  });

  it("makes the generator write the unit, exit 1, and not claim that nothing was parsed", () => {
    put("a/web.container", "[Container]\nImage=registry.example.com/web:1\n");
    put("a/web.container.d/10-bad.conf", "[Container]\nPublishPort 8080:80\n");
    const out = join(root, "out");
    const log = new CollectingLogger();
    const status = runGenerator(parseArgs(["-v", out]), { fs: hostFs, env: { QUADLET_UNIT_DIRS: join(root, "a") }, uid: 0, log, stdout: () => {} });
    expect(status).toBe(1);
    expect(readFileSync(join(out, "web.service"), "utf8")).toContain("registry.example.com/web:1");
    expect(log.errors).toEqual([expect.stringMatching(/10-bad\.conf:2: "PublishPort 8080:80" is not a \[Section\] header/)]);
    expect(log.debugs.filter((d) => d.startsWith("No files parsed"))).toEqual([]);
  });
});

describe("dropinDirNames", () => {
  it("lists the directories from most to least specific", () => {
    expect(dropinDirNames(new UnitFile("foo-bar@x.container"))).toEqual([
      "foo-bar@x.container.d",
      "foo-bar@.container.d",
      "foo-@.container.d",
      "foo-.container.d",
      "container.d",
    ]);
    expect(dropinDirNames(new UnitFile("db.volume"))).toEqual(["db.volume.d", "volume.d"]);
  });
});
