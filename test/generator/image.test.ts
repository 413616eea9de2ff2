import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, hasRun } from "../helpers.js";

const fixture = (name: string) => readFileSync(join(process.cwd(), "fixtures", "image", name), "utf8");

describe(".image", () => {
  it("pulls the image in a oneshot service that stays active", () => {
    const s = compileOne("proxy.image", "[Image]\nImage=quay.io/example/proxy:3\n");
    expect(s.filename).toBe("proxy-image.service");
    expect(execWords(s)).toEqual(["/usr/bin/podman", "image", "pull", "quay.io/example/proxy:3"]);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
    expect(s.lookup("Service", "RemainAfterExit")).toBe("yes");
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
    expect(s.lookupAll("Unit", "Wants")).toEqual(["network-online.target"]);
    expect(s.hasGroup("X-Image")).toBe(true);
    expect(s.hasGroup("Image")).toBe(false);
  });

  it("turns each pull option into its podman flag", () => {
    const s = compileOne("mirror.image", fixture("mirror.image"));
    const words = execWords(s);
    for (const pair of [
      ["--authfile", "/etc/containers/edge-auth.json"],
      ["--cert-dir", "/etc/containers/certs.d/registry.internal.example"],
      ["--policy", "newer"],
      ["--arch", "arm64"],
      ["--variant", "v8"],
      ["--retry", "3"],
      ["--retry-delay", "15s"],
    ]) {
      expect(hasRun(words, pair), pair.join(" ")).toBe(true);
    }
    expect(words).toContain("--tls-verify");
    expect(words.at(-1)).toBe("registry.internal.example:5000/edge/proxy:3.2");
    expect(s.lookupAll("Install", "WantedBy")).toEqual(["default.target"]);
  });

  it("writes false booleans as flag=false and true ones as the bare flag", () => {
    const words = execWords(compileOne("a.image", "[Image]\nImage=quay.io/a/b\nTLSVerify=no\nAllTags=true\n"));
    expect(words).toContain("--tls-verify=false");
    expect(words).toContain("--all-tags");
    expect(words).not.toContain("--all-tags=false");
  });

  it("passes credentials, decryption key and OS through", () => {
    const words = execWords(compileOne("c.image", "[Image]\nImage=quay.io/a/b\nCreds=robot:s3cret\nDecryptionKey=/etc/keys/img.pem:pass\nOS=freebsd\n"));
    expect(hasRun(words, ["--creds", "robot:s3cret"])).toBe(true);
    expect(hasRun(words, ["--decryption-key", "/etc/keys/img.pem:pass"])).toBe(true);
    expect(hasRun(words, ["--os", "freebsd"])).toBe(true);
  });

  it("puts modules and GlobalArgs= before `image pull` and PodmanArgs= just before the image", () => {
    const s = compileOne(
      "g.image",
      "[Image]\nImage=quay.io/a/b\nContainersConfModule=/etc/containers/mirror.conf\nGlobalArgs=--log-level=debug\nPodmanArgs=--quiet\nArch=amd64\n",
    );
    expect(execWords(s)).toEqual([
      "/usr/bin/podman", "--module=/etc/containers/mirror.conf", "--log-level=debug",
      "image", "pull", "--arch", "amd64", "--quiet", "quay.io/a/b",
    ]);
  });

  it("fails without an Image= value, naming the missing key", () => {
    const { errors, services } = compileFiles({ "none.image": "[Image]\nArch=arm64\n", "empty.image": "[Image]\nImage=\n" });
    expect(errors.get("none.image")![0]).toContain(`converting "none.image": no Image key specified`);
    expect(errors.get("empty.image")![0]).toContain("no Image key specified");
    expect(services.size).toBe(0);
  });

  it("lets containers use the pulled image by the unit's name", () => {
    const { services } = compileFiles({
      "proxy.image": "[Image]\nImage=quay.io/example/proxy:3\n",
      "edge.container": "[Container]\nImage=proxy.image\n",
    });
    const edge = services.get("edge.service")!;
    expect(execWords(edge).at(-1)).toBe("quay.io/example/proxy:3");
    expect(edge.lookupAll("Unit", "Requires")).toEqual(["proxy-image.service"]);
    expect(edge.lookupAll("Unit", "After")).toContain("proxy-image.service");
  });

  it("names the image by ImageTag= when the source is an archive", () => {
    const { services, errors } = compileFiles({
      "offline.image": fixture("offline.image"),
      "reporting.container": fixture("reporting.container"),
    });
    expect(errors.size).toBe(0);
    expect(execWords(services.get("offline-image.service")!).at(-1)).toBe("oci-archive:/var/lib/offline-images/reporting.tar");
    const words = execWords(services.get("reporting.service")!);
    expect(hasRun(words, ["quay.io/example/reporting:2025.1", "/usr/bin/report", "--daily"])).toBe(true);
  });

  it("follows ServiceName= for its own file and for the units that depend on it", () => {
    const { services } = compileFiles({
      "proxy.image": "[Image]\nImage=quay.io/example/proxy:3\nServiceName=proxy-pull\n",
      "edge.container": "[Container]\nImage=proxy.image\n",
    });
    expect(services.has("proxy-pull.service")).toBe(true);
    expect(services.get("edge.service")!.lookupAll("Unit", "Requires")).toEqual(["proxy-pull.service"]);
  });

  it("keeps a service type the unit chooses itself", () => {
    const s = compileOne("t.image", "[Image]\nImage=quay.io/a/b\n\n[Service]\nType=exec\nSyslogIdentifier=pull-b\n");
    expect(s.lookupAll("Service", "Type")).toEqual(["exec"]);
    expect(s.lookupAll("Service", "SyslogIdentifier")).toEqual(["pull-b"]);
  });

  it("rejects keys the [Image] section does not have", () => {
    const { errors } = compileFiles({ "x.image": "[Image]\nImage=quay.io/a/b\nPull=always\n" });
    expect(errors.get("x.image")![0]).toContain("unsupported key 'Pull' in group 'Image'");
  });

  it("warns about [Service] keys podman cannot honour", () => {
    const { warnings, services } = compileFiles({ "u.image": "[Image]\nImage=quay.io/a/b\n\n[Service]\nUser=nobody\n" });
    expect(services.has("u-image.service")).toBe(true);
    expect(warnings).toContain("using key User in the Service group is not supported");
  });
});
