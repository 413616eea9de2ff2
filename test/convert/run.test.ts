/**
 * `quadlet convert run`: podman run and docker run command lines as a `.container` unit,
 * flags with a key as that key, the others in PodmanArgs= with a warning each.
 */
import { describe, expect, it } from "vitest";
import { compileUnits, runConvert, runSpecOf, splitQuadlets } from "./helpers.js";

async function convertLine(...argv: string[]) {
  const r = await runConvert(["run", "--", ...argv], "/tmp");
  return { ...r, units: r.status === 0 ? splitQuadlets(r.stdout) : {} };
}

describe("convert run", () => {
  it("maps the flags that have keys, and names the unit after --name", async () => {
    const r = await convertLine(
      "podman", "run", "-d", "--rm", "--name", "web", "-p", "8080:80", "-e", "A=x y", "--env=B=2", "-v", "data:/data:Z",
      "--restart=always", "--memory", "512m", "--security-opt", "no-new-privileges", "--health-cmd", "curl -f http://localhost/",
      "--cap-add", "NET_ADMIN", "-u", "1000", "-w", "/srv", "--init", "--read-only", "--network", "web-net", "--label", "tier=front",
      "docker.io/library/nginx:1.27", "nginx", "-g", "daemon off;",
    );
    expect(r.status).toBe(0);
    const unit = r.units["web.container"]!;
    for (const line of [
      "Image=docker.io/library/nginx:1.27", "ContainerName=web", "PublishPort=8080:80", 'Environment="A=x y"', "Environment=B=2",
      "Volume=data:/data:Z", "Restart=always", "Memory=512m", "NoNewPrivileges=true", "HealthCmd=curl -f http://localhost/",
      "AddCapability=NET_ADMIN", "User=1000", "WorkingDir=/srv", "RunInit=true", "ReadOnly=true", "Network=web-net",
      "Label=tier=front", 'Exec=nginx -g "daemon off;"', "WantedBy=default.target",
    ]) {
      expect(unit.split("\n")).toContain(line);
    }
    expect(unit).not.toContain("PodmanArgs");
    expect(r.stderr).toContain("warning[QL1001]: --detach");
    expect(r.stderr).toContain("warning[QL1001]: --rm");
  });

  it("passes flags without a key through PodmanArgs=, warning for each", async () => {
    const r = await convertLine("podman", "run", "-it", "--cpus", "2", "--privileged", "-p8443:443", "quay.io/x/y:1");
    expect(r.status).toBe(0);
    const unit = r.units["y.container"]!;
    expect(unit).toContain("PodmanArgs=-i\nPodmanArgs=-t\nPodmanArgs=--cpus 2\nPodmanArgs=--privileged\n");
    expect(unit).toContain("PublishPort=8443:443\n");
    for (const flag of ["--interactive", "--tty", "--cpus", "--privileged"]) expect(r.stderr).toContain(`warning[QL1002]: ${flag}: no quadlet key`);
    const run = runSpecOf(compileUnits(r.units).get("y.service")!);
    expect(run.flags).toContainEqual(["--cpus", "2"]);
    expect(run.image).toBe("quay.io/x/y:1");
  });

  it("takes podman create, docker run, and global flags before the subcommand", async () => {
    for (const argv of [
      ["podman", "create", "--name", "c", "img"],
      ["docker", "run", "--name", "c", "img"],
      ["/usr/bin/podman", "--log-level=debug", "run", "--name", "c", "img"],
      ["podman", "container", "run", "--name", "c", "img"],
    ]) {
      const r = await convertLine(...argv);
      expect(r.status, argv.join(" ")).toBe(0);
      expect(r.units["c.container"]).toContain("Image=img\n");
    }
  });

  it("keeps the command after the image word for word, and $ and % as written", async () => {
    const r = await convertLine("podman", "run", "--name", "sh", "docker.io/library/alpine", "sh", "-c", 'echo "$HOME" 100%');
    const run = runSpecOf(compileUnits(r.units).get("sh.service")!);
    expect(run.command).toEqual(["sh", "-c", 'echo "$HOME" 100%']);
  });

  it("refuses what is not a run command, or names no image", async () => {
    expect((await convertLine("podman", "ps")).stderr).toContain("is not a podman run, podman create or docker run command");
    expect((await convertLine("podman", "run", "-d")).stderr).toContain("the command names no image");
    expect((await runConvert(["run"], "/tmp")).status).toBe(2);
  });

  it("gives the same bytes every time", async () => {
    const argv = ["podman", "run", "--name", "x", "-e", "A=1", "-p", "80:80", "img"];
    expect((await convertLine(...argv)).stdout).toBe((await convertLine(...argv)).stdout);
  });
});
