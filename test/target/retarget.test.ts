// The retargeting pass on units of our own: equivalents written for an older podman, errors
// on the key's line where there is none, warnings for PodmanArgs=, and nothing at all for the
// newest podman.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, UNIT_DIR } from "../helpers.js";
import { provideRetargeter } from "../../src/generator/index.js";
import { splitArgs } from "../../src/parser/words.js";
import { retargetService } from "../../src/target/retarget.js";
import { parsePodmanVersion, type PodmanTarget, type TargetSource } from "../../src/target/version.js";

const target = (v: string, source: TargetSource = "given"): PodmanTarget => ({ version: parsePodmanVersion(v)!, source });

describe("equivalents for an older podman", () => {
  const dns = "[Container]\nImage=quay.io/a/web\nDNSOption=ndots:2\n";

  it("writes --dns-opt before 4.3, and --dns-option from 4.3 on", () => {
    expect(execWords(compileOne("web.container", dns, { target: target("4.2.1") }))).toContain("--dns-opt");
    expect(execWords(compileOne("web.container", dns, { target: target("4.2.1") }))).not.toContain("--dns-option");
    expect(execWords(compileOne("web.container", dns, { target: target("4.3.1") }))).toContain("--dns-option");
  });

  it("runs podman play kube before 4.3, and stops with play kube --down", () => {
    const kube = compileOne("blog.kube", "[Kube]\nYaml=/srv/blog.yaml\n", { target: target("4.2.1") });
    expect(execWords(kube).slice(0, 5)).toEqual(["/usr/bin/podman", "play", "kube", "--replace", "--service-container=true"]);
    expect(execWords(kube, "ExecStopPost")).toEqual(["/usr/bin/podman", "play", "kube", "--down", "/srv/blog.yaml"]);
    const newer = compileOne("blog.kube", "[Kube]\nYaml=/srv/blog.yaml\n", { target: target("4.3.1") });
    expect(execWords(newer).slice(0, 3)).toEqual(["/usr/bin/podman", "kube", "play"]);
  });

  it("guards volume create without --ignore before 4.4, and leaves it alone from 4.4", () => {
    const service = compileOne("data.volume", "[Volume]\nLabel=a=b\n", { target: target("4.3.1") });
    const line = service.lookup("Service", "ExecStart")!;
    expect(line).toBe(`/bin/sh -c "'/usr/bin/podman' 'volume' 'inspect' 'systemd-data' >/dev/null 2>&1 || exec \\"$$@\\"" sh /usr/bin/podman volume create --label a=b systemd-data`);
    expect(compileOne("data.volume", "[Volume]\nLabel=a=b\n", { target: target("4.4") }).lookup("Service", "ExecStart")).toBe("/usr/bin/podman volume create --ignore --label a=b systemd-data");
  });

  describe("the guard, run by a shell", () => {
    let dir = "";
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    /** Runs the ExecStart line as systemd would (`$$` is `$`), with a podman that logs its words. */
    function start(exists: boolean, createFails = false) {
      dir = mkdtempSync(join(tmpdir(), "quadlet-guard-"));
      const podman = join(dir, "podman");
      writeFileSync(podman, `#!/bin/sh\necho "$*" >> ${dir}/log\ncase "$2" in inspect) exit ${exists ? 0 : 125};; esac\nexit ${createFails ? 125 : 0}\n`);
      chmodSync(podman, 0o755);
      const service = compileOne("app.network", "[Network]\nSubnet=10.0.0.0/24\n", { target: target("4.3.1"), podman });
      const words = splitArgs(service.lookup("Service", "ExecStart")!).map((w) => w.replace(/\$\$/g, "$"));
      const r = spawnSync(words[0]!, words.slice(1), { encoding: "utf8" });
      return { status: r.status, log: readFileSync(join(dir, "log"), "utf8").trim().split("\n") };
    }

    it("creates the network when it does not exist", () => {
      expect(start(false)).toEqual({ status: 0, log: ["network inspect systemd-app", "network create --subnet 10.0.0.0/24 systemd-app"] });
    });
    it("succeeds without creating when it exists", () => {
      expect(start(true)).toEqual({ status: 0, log: ["network inspect systemd-app"] });
    });
    it("keeps podman's failure when create fails", () => {
      expect(start(false, true).status).toBe(125);
    });
  });
});

describe("errors", () => {
  const web = "[Container]\nImage=quay.io/a/web\nHealthCmd=/bin/true\n# log\nHealthLogDestination=/var/log/web\n";

  it("names the file, line and key a release lacks, and what this host has", () => {
    const { errors, services } = compileFiles({ "web.container": web }, { target: target("4.3.1", "installed") });
    expect(services.size).toBe(0);
    expect(errors.get("web.container")).toEqual([`${UNIT_DIR}/web.container:5: error[QL0901]: HealthLogDestination= needs podman 5.3 or later; this host has 4.3.1`]);
    expect(compileFiles({ "web.container": web }, { target: target("5.3") }).errors.size).toBe(0);
  });

  it("names a value the release lacks", () => {
    const { errors } = compileFiles({ "web.container": "[Container]\nImage=a\nNotify=healthy\n" }, { target: target("4.6") });
    expect(errors.get("web.container")).toEqual([`${UNIT_DIR}/web.container:3: error[QL0901]: Notify=healthy needs podman 4.7 or later; the target is podman 4.6`]);
  });

  it("gives one error for a unit type the release cannot run", () => {
    const { errors } = compileFiles({ "m.artifact": "[Artifact]\nArtifact=quay.io/a/m:1\nRetry=3\nQuiet=yes\n" }, { target: target("5.3") });
    expect(errors.get("m.artifact")).toEqual([`${UNIT_DIR}/m.artifact: error[QL0902]: .artifact units run podman artifact pull, which needs podman 5.4 or later; the target is podman 5.3`]);
  });

  it("warns for a PodmanArgs= flag the release lacks, and still writes the unit", () => {
    const { errors, warnings, services } = compileFiles({ "web.container": "[Container]\nImage=quay.io/a/web\nPodmanArgs=--retry 3\n" }, { target: target("4.9.3") });
    expect(errors.size).toBe(0);
    expect(services.size).toBe(1);
    expect(warnings).toEqual([`${UNIT_DIR}/web.container:3: warning[QL0903]: PodmanArgs= passes --retry, which needs podman 5.0 or later; the target is podman 4.9.3`]);
  });

  it("leaves the user's own [Service] lines alone", () => {
    const unit = "[Container]\nImage=a\n[Service]\nExecStartPre=/usr/bin/podman run --retry 3 busybox true\n";
    expect(compileFiles({ "web.container": unit }, { target: target("4.3.1") }).errors.size).toBe(0);
  });
});

describe("the newest podman", () => {
  afterEach(() => provideRetargeter(retargetService));

  it("gets exactly what no target gives, and the pass is never run", () => {
    const files = { "web.container": "[Container]\nImage=a\nDNSOption=x\nHealthLogDestination=/l\n", "d.volume": "[Volume]\n", "b.kube": "[Kube]\nYaml=/b.yaml\n" };
    provideRetargeter(() => {
      throw new Error("the pass ran");
    });
    const plain = compileFiles(files);
    const newest = compileFiles(files, { target: target("6.0") });
    expect(plain.errors.size).toBe(0);
    expect([...newest.services.entries()].map(([n, u]) => [n, u.lookup("Service", "ExecStart")])).toEqual([...plain.services.entries()].map(([n, u]) => [n, u.lookup("Service", "ExecStart")]));
  });
});

describe("flags that took one value before they took a list", () => {
  it("refuses two networks before 4.0, where podman would keep only the last", () => {
    const unit = "[Container]\nImage=quay.io/a/web\nNetwork=a\nNetwork=b\n";
    expect(compileFiles({ "web.container": unit }, { target: target("3.4.4") }).errors.get("web.container")).toEqual([
      `${UNIT_DIR}/web.container:4: error[QL0901]: Network= is given more than once, which needs podman 4.0 or later; the target is podman 3.4.4`,
    ]);
    expect(compileFiles({ "web.container": "[Container]\nImage=quay.io/a/web\nNetwork=a\n" }, { target: target("3.4.4") }).errors.size).toBe(0);
    expect(compileFiles({ "web.container": unit }, { target: target("4.0") }).errors.size).toBe(0);
  });
});
