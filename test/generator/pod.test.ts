import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, hasRun, UNIT_DIR } from "../helpers.js";

/** Every file of a fixture directory, by name. */
function fixtureFiles(dir: string): Record<string, string> {
  const root = join(process.cwd(), "fixtures", dir);
  return Object.fromEntries(readdirSync(root).map((name) => [name, readFileSync(join(root, name), "utf8")]));
}

describe(".pod", () => {
  it("creates, starts, stops and removes the pod with podman's defaults", () => {
    const s = compileOne("cache.pod", "[Pod]\n");
    expect(s.filename).toBe("cache-pod.service");
    expect(s.hasGroup("X-Pod")).toBe(true);
    expect(s.hasGroup("Pod")).toBe(false);
    expect(execWords(s, "ExecStartPre")).toEqual([
      "/usr/bin/podman", "pod", "create", "--infra-conmon-pidfile=%t/%N.pid", "--replace",
      "--exit-policy", "stop", "--infra-name", "systemd-cache-infra", "--name", "systemd-cache",
    ]);
    expect(execWords(s)).toEqual(["/usr/bin/podman", "pod", "start", "systemd-cache"]);
    expect(execWords(s, "ExecStop")).toEqual(["/usr/bin/podman", "pod", "stop", "--ignore", "--time=10", "systemd-cache"]);
    expect(execWords(s, "ExecStopPost")).toEqual(["/usr/bin/podman", "pod", "rm", "--ignore", "--force", "systemd-cache"]);
    expect(s.lookup("Service", "Type")).toBe("forking");
    expect(s.lookup("Service", "PIDFile")).toBe("%t/%N.pid");
    expect(s.lookup("Service", "Restart")).toBe("on-failure");
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
  });

  it("starts the containers that join it, but not one with StartWithPod=no", () => {
    const { services, errors } = compileFiles(fixtureFiles("pod"));
    expect(errors.get("shop.pod")).toBeUndefined();
    const pod = services.get("shop-pod.service")!;
    expect(pod.lookupAll("Unit", "Wants")).toContain("shop-front.service");
    expect(pod.lookupAll("Unit", "Before")).toContain("shop-front.service");
    expect(pod.lookupAll("Unit", "Wants")).not.toContain("shop-worker.service");
    expect(pod.lookupAll("Unit", "Before")).not.toContain("shop-worker.service");

    // Both containers join the pod by its PodName= and are bound to its service.
    for (const name of ["shop-front.service", "shop-worker.service"]) {
      const c = services.get(name)!;
      expect(hasRun(execWords(c), ["--pod", "shop"])).toBe(true);
      expect(c.lookupAll("Unit", "BindsTo")).toEqual(["shop-pod.service"]);
    }
  });

  it("turns the pod's keys into pod create options and depends on its network and volume", () => {
    const { services } = compileFiles(fixtureFiles("pod"));
    const pod = services.get("shop-pod.service")!;
    const create = execWords(pod, "ExecStartPre");
    expect(hasRun(create, ["--publish", "8080:80"])).toBe(true);
    expect(hasRun(create, ["--network", "systemd-shop"])).toBe(true);
    expect(hasRun(create, ["-v", "systemd-shop-data:/srv/data"])).toBe(true);
    expect(hasRun(create, ["-v", `${UNIT_DIR}/static:/srv/static:ro`])).toBe(true);
    expect(hasRun(create, ["--label", "app=shop", "--label", "tier=front end"])).toBe(true);
    expect(create.slice(-4)).toEqual(["--infra-name", "shop-infra", "--name", "shop"]);
    expect(pod.lookupAll("Unit", "Requires")).toEqual(["shop-network.service", "shop-data-volume.service"]);
    expect(pod.lookupAll("Unit", "RequiresMountsFor")).toContain(`${UNIT_DIR}/static`);
    expect(execWords(pod, "ExecStop")).toContain("--time=30");
    expect(pod.lookup("Unit", "Description")).toBe("Web shop pod");
    expect(pod.lookupAll("Install", "WantedBy")).toEqual(["multi-user.target"]);
  });

  it("starts an instance of a template container, not the template itself", () => {
    const joins = "[Container]\nImage=quay.io/a/b\nPod=jobs.pod\n";
    const { services } = compileFiles({ "jobs.pod": "[Pod]\n", "job@.container": joins, "job@nightly.container": joins });
    expect(services.get("jobs-pod.service")!.lookupAll("Unit", "Wants")).toEqual(["network-online.target", "job@nightly.service"]);
  });

  it("keeps the user's Restart= and ExitPolicy=", () => {
    const s = compileOne("batch.pod", "[Pod]\nExitPolicy=continue\n[Service]\nRestart=always\n");
    expect(s.lookupAll("Service", "Restart")).toEqual(["always"]);
    expect(hasRun(execWords(s, "ExecStartPre"), ["--exit-policy", "continue"])).toBe(true);
  });

  it("puts GlobalArgs= before the subcommand and PodmanArgs= last, on every podman line", () => {
    const s = compileOne("g.pod", "[Pod]\nGlobalArgs=--log-level=debug\nContainersConfModule=/etc/nvd.conf\nPodmanArgs=--cpus=2\n");
    for (const key of ["ExecStartPre", "ExecStart", "ExecStop", "ExecStopPost"]) {
      expect(execWords(s, key).slice(0, 4)).toEqual(["/usr/bin/podman", "--module=/etc/nvd.conf", "--log-level=debug", "pod"]);
    }
    expect(execWords(s, "ExecStartPre").at(-1)).toBe("--cpus=2");
  });

  it("accepts manual user remapping, unlike kube units", () => {
    const s = compileOne("m.pod", "[Pod]\nRemapUsers=manual\nRemapUid=0:10000:10\nRemapGid=0:20000:10\n");
    expect(hasRun(execWords(s, "ExecStartPre"), ["--uidmap", "0:10000:10", "--gidmap", "0:20000:10"])).toBe(true);
  });

  it("rejects a key the [Pod] section does not have", () => {
    const { errors } = compileFiles({ "p.pod": "[Pod]\nImage=quay.io/a/b\n" });
    expect(errors.get("p.pod")![0]).toContain("unsupported key 'Image' in group 'Pod'");
  });

  it("gives a container of a missing pod an error that names the pod", () => {
    const { errors } = compileFiles({ "c.container": "[Container]\nImage=quay.io/a/b\nPod=gone.pod\n" });
    expect(errors.get("c.container")![0]).toContain("quadlet pod unit gone.pod does not exist");
  });
});
