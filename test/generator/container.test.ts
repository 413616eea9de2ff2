import { describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, hasRun } from "../helpers.js";

describe(".container", () => {
  it("runs podman with the documented defaults", () => {
    const s = compileOne("web.container", "[Container]\nImage=quay.io/example/web:1\n");
    expect(s.filename).toBe("web.service");
    const words = execWords(s);
    expect(words.slice(0, 2)).toEqual(["/usr/bin/podman", "run"]);
    expect(hasRun(words, ["--name", "systemd-%N", "--replace", "--rm", "--cgroups=split", "--sdnotify=conmon", "-d"])).toBe(true);
    expect(words.at(-1)).toBe("quay.io/example/web:1");
    expect(s.lookup("Service", "KillMode")).toBe("mixed");
    expect(s.lookup("Service", "Delegate")).toBe("yes");
    expect(s.lookup("Service", "Type")).toBe("notify");
    expect(s.lookup("Service", "NotifyAccess")).toBe("all");
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookup("Service", "Environment")).toBe("PODMAN_SYSTEMD_UNIT=%n");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
    expect(s.lookupAll("Unit", "After")[0]).toBe("network-online.target");
    expect(s.hasGroup("X-Container")).toBe(true);
    expect(s.hasGroup("Container")).toBe(false);
  });

  it("uses the user manager's network-online unit in user mode", () => {
    const s = compileOne("web.container", "[Container]\nImage=quay.io/a/b\n", { userMode: true });
    expect(s.lookupAll("Unit", "Wants")).toEqual(["podman-user-wait-network-online.service"]);
  });

  it("keeps an empty quoted word and what follows it", () => {
    const s = compileOne("e.container", '[Container]\nImage=quay.io/a/b\nExec=echo "" after\n');
    expect(execWords(s).slice(-3)).toEqual(["echo", "", "after"]);
  });

  it("reports an unsupported key with file, line and key", () => {
    const { errors } = compileFiles({ "bad.container": "[Container]\nImage=quay.io/a/b\nBOGUS=1\n" });
    expect(errors.get("bad.container")![0]).toContain(`converting "bad.container": unsupported key 'BOGUS' in group 'Container' in /etc/containers/systemd/bad.container:3`);
  });

  it("fails without Image= or Rootfs=, and still compiles the other units", () => {
    const { errors, services } = compileFiles({ "a.container": "[Container]\n", "b.container": "[Container]\nImage=quay.io/a/b\n" });
    expect(errors.get("a.container")![0]).toContain("no Image or Rootfs key specified");
    expect(services.has("b.service")).toBe(true);
  });

  it("sorts environment variables and labels so output is deterministic", () => {
    const s = compileOne("e.container", "[Container]\nImage=quay.io/a/b\nEnvironment=B=2 A=1\nLabel=z=1 a=2\n");
    const words = execWords(s);
    expect(hasRun(words, ["--env", "A=1", "--env", "B=2"])).toBe(true);
    expect(hasRun(words, ["--label", "a=2", "--label", "z=1"])).toBe(true);
  });

  it("takes an argument list of any length", () => {
    const words = Array.from({ length: 150_000 }, (_, i) => `w${i}`).join(" ");
    const s = compileOne("big.container", `[Container]\nImage=quay.io/a/b\nPodmanArgs=${words}\nExec=${words}\n`);
    const out = execWords(s);
    // podman run --name systemd-%N --replace --rm --cgroups=split --sdnotify=conmon -d IMAGE: 10 words.
    expect(out).toHaveLength(10 + 2 * 150_000);
    expect(out.at(-1)).toBe("w149999");
  });
});
