import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, hasRun, renderUnit, UNIT_DIR } from "../helpers.js";

const blog = readFileSync(join(process.cwd(), "fixtures", "kube", "blog.kube"), "utf8");

describe(".kube", () => {
  it("plays the YAML file with a service container and takes it down after stopping", () => {
    const s = compileOne("hello.kube", "[Kube]\nYaml=hello.yaml\n");
    expect(s.filename).toBe("hello.service");
    expect(s.hasGroup("X-Kube")).toBe(true);
    expect(execWords(s)).toEqual(["/usr/bin/podman", "kube", "play", "--replace", "--service-container=true", `${UNIT_DIR}/hello.yaml`]);
    expect(execWords(s, "ExecStopPost")).toEqual(["/usr/bin/podman", "kube", "down", `${UNIT_DIR}/hello.yaml`]);
    expect(s.lookup("Service", "Type")).toBe("notify");
    expect(s.lookup("Service", "NotifyAccess")).toBe("all");
    expect(s.lookup("Service", "KillMode")).toBe("mixed");
    expect(s.lookup("Service", "Environment")).toBe("PODMAN_SYSTEMD_UNIT=%n");
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
  });

  it("plays and takes down every Yaml= file, in order, with the unit's options", () => {
    const s = compileOne("blog.kube", blog);
    const play = execWords(s);
    const yamls = [`${UNIT_DIR}/blog-db.yaml`, "/srv/kube/blog-web.yaml"];
    expect(play.slice(-2)).toEqual(yamls);
    expect(hasRun(play, ["--configmap", `${UNIT_DIR}/blog-config.yaml`])).toBe(true);
    expect(hasRun(play, ["--publish", "8081:8080"])).toBe(true);
    expect(play).toContain("--service-exit-code-propagation=any");
    expect(play).toContain("--annotation=io.containers.autoupdate=registry");
    expect(play).toContain("--annotation=io.containers.autoupdate/web=local");
    expect(execWords(s, "ExecStopPost")).toEqual(["/usr/bin/podman", "kube", "down", "--force", ...yamls]);
    expect(s.lookupAll("Service", "WorkingDirectory")).toEqual([UNIT_DIR]);
    expect(s.lookupAll("Install", "WantedBy")).toEqual(["default.target"]);
  });

  it("refuses SetWorkingDirectory=yaml with several Yaml= files", () => {
    const { errors } = compileFiles({ "two.kube": "[Kube]\nYaml=a.yaml\nYaml=b.yaml\nSetWorkingDirectory=yaml\n" });
    expect(errors.get("two.kube")![0]).toContain("SetWorkingDirectory=yaml is only supported when a single Yaml key is provided");
  });

  it("runs in the YAML file's directory with SetWorkingDirectory=yaml, unless [Service] sets one", () => {
    const s = compileOne("site.kube", "[Kube]\nYaml=site/pod.yaml\nSetWorkingDirectory=yaml\n");
    expect(s.lookup("Service", "WorkingDirectory")).toBe(`${UNIT_DIR}/site`);
    const own = compileOne("own.kube", "[Kube]\nYaml=site/pod.yaml\nSetWorkingDirectory=yaml\n[Service]\nWorkingDirectory=/srv\n");
    expect(own.lookupAll("Service", "WorkingDirectory")).toEqual(["/srv"]);
  });

  it("rejects an unknown SetWorkingDirectory= value and names the accepted ones", () => {
    const { errors } = compileFiles({ "w.kube": "[Kube]\nYaml=a.yaml\nSetWorkingDirectory=home\n" });
    expect(errors.get("w.kube")![0]).toMatch(/SetWorkingDirectory: home; accepted: yaml, unit/);
  });

  it("needs a Yaml= key", () => {
    const { errors } = compileFiles({ "empty.kube": "[Kube]\nPublishPort=80\n" });
    expect(errors.get("empty.kube")![0]).toContain("no Yaml key specified");
  });

  it("refuses RemapUsers=manual but maps users automatically", () => {
    const { errors } = compileFiles({ "m.kube": "[Kube]\nYaml=a.yaml\nRemapUsers=manual\nRemapUid=0:10000:10\n" });
    expect(errors.get("m.kube")![0]).toContain("RemapUsers=manual is not supported");
    const s = compileOne("a.kube", "[Kube]\nYaml=a.yaml\nUserNS=auto:size=500\n");
    expect(hasRun(execWords(s), ["--userns", "auto:size=500"])).toBe(true);
  });

  it("lets Type=oneshot through for YAML that only creates resources, and refuses other types", () => {
    const s = compileOne("res.kube", "[Kube]\nYaml=secrets.yaml\n[Service]\nType=oneshot\n");
    expect(s.lookupAll("Service", "Type")).toEqual(["oneshot"]);
    expect(s.hasKey("Service", "NotifyAccess")).toBe(false);
    const { errors } = compileFiles({ "f.kube": "[Kube]\nYaml=a.yaml\n[Service]\nType=forking\n" });
    expect(errors.get("f.kube")![0]).toContain("invalid service Type 'forking'");
  });

  it("joins a quadlet network and waits for its service", () => {
    const { services } = compileFiles({ "app.kube": "[Kube]\nYaml=app.yaml\nNetwork=backend.network\n", "backend.network": "[Network]\n" });
    const s = services.get("app.service")!;
    expect(hasRun(execWords(s), ["--network", "systemd-backend"])).toBe(true);
    expect(s.lookupAll("Unit", "Requires")).toEqual(["backend-network.service"]);
  });

  it("prints its generated keys in a stable order", () => {
    const text = renderUnit(compileOne("hello.kube", "[Kube]\nYaml=hello.yaml\n"));
    const keys = text.split("\n").filter((l) => /^[A-Za-z]+=/.test(l)).map((l) => l.slice(0, l.indexOf("=")));
    expect(keys).toEqual([
      "Yaml", "Wants", "After", "SourcePath", "RequiresMountsFor",
      "KillMode", "Environment", "Type", "NotifyAccess", "SyslogIdentifier", "ExecStart", "ExecStopPost",
    ]);
  });
});
