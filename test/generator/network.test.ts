import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, hasRun } from "../helpers.js";

const fixture = (name: string) => readFileSync(resolve("fixtures/network", name), "utf8");

/** The first error of `file` when compiled on its own. */
function errorOf(file: string, text: string): string {
  const { errors } = compileFiles({ [file]: text });
  const errs = errors.get(file);
  if (!errs) throw new Error(`expected ${file} to fail`);
  return errs[0]!;
}

describe(".network", () => {
  it("creates the network once, keeping an existing one", () => {
    const s = compileOne("lan.network", "[Network]\n");
    expect(s.filename).toBe("lan-network.service");
    expect(execWords(s)).toEqual(["/usr/bin/podman", "network", "create", "--ignore", "systemd-lan"]);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
    expect(s.lookup("Service", "RemainAfterExit")).toBe("yes");
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
    expect(s.hasKey("Service", "ExecStopPost")).toBe(false);
    expect(s.hasGroup("X-Network")).toBe(true);
  });

  it("compiles every documented setting, in podman's order", () => {
    const s = compileOne("backend.network", fixture("backend.network"));
    expect(execWords(s)).toEqual([
      "/usr/bin/podman", "network", "create", "--ignore",
      "--dns", "10.89.10.1",
      "--driver", "bridge",
      "--subnet", "10.89.10.0/24", "--gateway", "10.89.10.1", "--ip-range", "10.89.10.128/25",
      "--subnet", "fd00:10:89::/64", "--gateway", "fd00:10:89::1",
      "--internal",
      "--ipv6",
      "--opt", "isolate=true", "--opt", "mtu=9000",
      "--interface-name", "podbr-backend",
      "--label", "owner=platform",
      "backend",
    ]);
  });

  it("removes the network on stop with NetworkDeleteOnStop=", () => {
    const s = compileOne("backend.network", fixture("backend.network"));
    expect(execWords(s, "ExecStopPost")).toEqual(["/usr/bin/podman", "network", "rm", "backend"]);
  });

  it("passes global arguments to the removal too", () => {
    const s = compileOne("t.network", "[Network]\nGlobalArgs=--log-level=debug\nNetworkDeleteOnStop=true\n");
    expect(execWords(s, "ExecStopPost")).toEqual(["/usr/bin/podman", "--log-level=debug", "network", "rm", "systemd-t"]);
  });

  it("turns DNS off with DisableDNS=", () => {
    const words = execWords(compileOne("d.network", "[Network]\nDisableDNS=yes\nInternal=no\n"));
    expect(words).toContain("--disable-dns");
    expect(words).not.toContain("--internal");
  });

  it("uses the IPAM driver given", () => {
    expect(hasRun(execWords(compileOne("d.network", "[Network]\nIPAMDriver=dhcp\n")), ["--ipam-driver", "dhcp"])).toBe(true);
  });

  it("refuses more gateways than subnets", () => {
    const msg = errorOf("g.network", "[Network]\nSubnet=10.0.0.0/24\nGateway=10.0.0.1\nGateway=10.0.1.1\n");
    expect(msg).toContain("cannot set more gateways than subnets");
    expect(msg).toContain("g.network:4");
  });

  it("refuses more ranges than subnets", () => {
    expect(errorOf("r.network", "[Network]\nSubnet=10.0.0.0/24\nIPRange=10.0.0.0/25\nIPRange=10.0.0.128/25\n")).toContain("cannot set more ranges than subnets");
  });

  it("refuses a gateway or a range without a subnet", () => {
    expect(errorOf("g.network", "[Network]\nGateway=10.0.0.1\n")).toContain("cannot set gateway or range without subnet");
    expect(errorOf("r.network", "[Network]\nIPRange=10.0.0.0/25\n")).toContain("cannot set gateway or range without subnet");
  });

  it("lets an empty Subnet= clear the ones before it", () => {
    expect(errorOf("c.network", "[Network]\nSubnet=10.0.0.0/24\nSubnet=\nGateway=10.0.0.1\n")).toContain("cannot set gateway or range without subnet");
  });

  it("keeps the unit's own service type", () => {
    const s = compileOne("x.network", "[Network]\n[Service]\nType=exec\n");
    expect(s.lookupAll("Service", "Type")).toEqual(["exec"]);
    expect(s.lookup("Service", "RemainAfterExit")).toBe("yes");
  });

  it("is joined by name from containers, which wait for it", () => {
    const { services } = compileFiles({
      "backend.network": fixture("backend.network"),
      "api.container": "[Container]\nImage=quay.io/example/api:1\nNetwork=backend.network:ip=10.89.10.20\n",
    });
    const api = services.get("api.service")!;
    expect(hasRun(execWords(api), ["--network", "backend:ip=10.89.10.20"])).toBe(true);
    expect(api.lookupAll("Unit", "Requires")).toEqual(["backend-network.service"]);
  });

  it("gives each template instance its own network", () => {
    const { services } = compileFiles({
      "tenant@.network": "[Network]\n",
      "tenant@acme.network": "[Network]\n",
    });
    expect(execWords(services.get("tenant-network@.service")!).at(-1)).toBe("systemd-tenant-%i");
    expect(execWords(services.get("tenant-network@acme.service")!).at(-1)).toBe("systemd-tenant-acme");
  });

  it("rejects keys [Network] does not have", () => {
    expect(errorOf("k.network", "[Network]\nMTU=1400\n")).toContain("unsupported key 'MTU' in group 'Network'");
  });
});
