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

  it("gives the flags of direct keys in the table's order, whatever order the file sets them in", () => {
    const file = "[Container]\nImage=quay.io/a/b\nRunInit=no\nDNS=10.0.0.1\nTimezone=UTC\nDNS=10.0.0.2\nPidsLimit=5\nMemory=\nMemory=1g\n";
    const words = execWords(compileOne("o.container", file));
    const flags = words.filter((w, i) => /^--(tz|pids-limit|memory|dns|init)/.test(w) || /^--(tz|pids-limit|memory|dns)$/.test(words[i - 1] ?? ""));
    expect(flags).toEqual(["--tz", "UTC", "--pids-limit", "5", "--memory", "1g", "--dns", "10.0.0.1", "--dns", "10.0.0.2", "--init=false"]);
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

  it("lets the container notify, or wait until it is healthy", () => {
    expect(execWords(compileOne("a.container", "[Container]\nImage=quay.io/a/b\nNotify=yes\n"))).toContain("--sdnotify=container");
    expect(execWords(compileOne("a.container", "[Container]\nImage=quay.io/a/b\nNotify=healthy\n"))).toContain("--sdnotify=healthy");
  });

  it("runs a oneshot container in the foreground", () => {
    const s = compileOne("job.container", "[Container]\nImage=quay.io/a/b\n[Service]\nType=oneshot\n");
    const words = execWords(s);
    expect(words).not.toContain("-d");
    expect(words.some((w) => w.startsWith("--sdnotify"))).toBe(false);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
  });

  it("refuses a service type podman cannot work with", () => {
    const { errors } = compileFiles({ "a.container": "[Container]\nImage=quay.io/a/b\n[Service]\nType=forking\n" });
    expect(errors.get("a.container")![0]).toContain("invalid service Type 'forking'");
  });

  it("reloads with a command or a signal, not both", () => {
    const cmd = compileOne("a.container", "[Container]\nImage=quay.io/a/b\nReloadCmd=/bin/app reload\n");
    expect(execWords(cmd, "ExecReload").slice(1)).toEqual(["exec", "systemd-%N", "/bin/app", "reload"]);
    const sig = compileOne("a.container", "[Container]\nImage=quay.io/a/b\nReloadSignal=SIGHUP\n");
    expect(execWords(sig, "ExecReload").slice(1)).toEqual(["kill", "--signal", "SIGHUP", "systemd-%N"]);
    const { errors } = compileFiles({ "a.container": "[Container]\nImage=quay.io/a/b\nReloadCmd=/bin/x\nReloadSignal=SIGHUP\n" });
    expect(errors.get("a.container")![0]).toContain("ReloadCmd and ReloadSignal are mutually exclusive");
  });

  it("gives every instance of a template its own container", () => {
    const s = compileOne("worker@.container", "[Container]\nImage=quay.io/a/b\nExec=--queue %i\n");
    expect(s.filename).toBe("worker@.service");
    expect(hasRun(execWords(s), ["--name", "systemd-%p_%i"])).toBe(true);
  });

  it("combines User= and Group=, and refuses Group= alone", () => {
    expect(hasRun(execWords(compileOne("a.container", "[Container]\nImage=quay.io/a/b\nUser=app\nGroup=app\n")), ["--user", "app:app"])).toBe(true);
    const { errors } = compileFiles({ "a.container": "[Container]\nImage=quay.io/a/b\nGroup=app\n" });
    expect(errors.get("a.container")![0]).toContain("invalid Group set without User");
  });

  it("names the missing unit when a reference points nowhere", () => {
    const { errors } = compileFiles({ "a.container": "[Container]\nImage=quay.io/a/b\nNetwork=missing.network\n" });
    expect(errors.get("a.container")![0]).toMatch(/missing\.network was not found.*a\.container:3/);
  });

  it("writes host paths with spaces so RequiresMountsFor= keeps them whole", () => {
    const s = compileOne("a.container", '[Container]\nImage=quay.io/a/b\nMount="type=bind,src=/srv/my data,dst=/data"\n');
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toContain(String.raw`"/srv/my\x20data"`);
    expect(hasRun(execWords(s), ["--mount", "type=bind,source=/srv/my data,dst=/data"])).toBe(true);
  });

  it("warns about [Service] keys that would run podman as another user", () => {
    const { warnings, services } = compileFiles({ "a.container": "[Container]\nImage=quay.io/a/b\n[Service]\nUser=app\n" });
    expect(warnings).toContain("using key User in the Service group is not supported");
    expect(services.has("a.service")).toBe(true);
  });

  it("warns about an image name that is not fully qualified", () => {
    const { warnings } = compileFiles({ "a.container": "[Container]\nImage=nginx\n" });
    expect(warnings.join("\n")).toContain('specifies the image "nginx" which not a fully qualified image name');
  });
});
