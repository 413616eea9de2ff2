import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { compileFiles, compileOne, execWords, hasRun } from "../helpers.js";

const fixture = (name: string) => readFileSync(resolve("fixtures/artifact", name), "utf8");

describe(".artifact", () => {
  it("pulls the artifact once", () => {
    const s = compileOne("tools.artifact", "[Artifact]\nArtifact=quay.io/example/tools:1\n");
    expect(s.filename).toBe("tools-artifact.service");
    expect(execWords(s)).toEqual(["/usr/bin/podman", "artifact", "pull", "quay.io/example/tools:1"]);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
    expect(s.lookup("Service", "RemainAfterExit")).toBe("yes");
    expect(s.lookupAll("Unit", "Wants")).toEqual(["network-online.target"]);
    expect(s.hasGroup("X-Artifact")).toBe(true);
  });

  it("compiles every pull option", () => {
    const s = compileOne("models.artifact", fixture("models.artifact"));
    expect(execWords(s)).toEqual([
      "/usr/bin/podman", "artifact", "pull",
      "--authfile", "/etc/containers/auth.json",
      "--creds", "robot:s3cret",
      "--decryption-key", "/etc/keys/models.pem",
      "--quiet=false",
      "--retry", "5",
      "--retry-delay", "30s",
      "--tls-verify",
      "registry.example.com/ml/sentiment-model:v3",
    ]);
    expect(s.lookupAll("Install", "WantedBy")).toEqual(["multi-user.target"]);
  });

  it("adds the shared keys around the subcommand", () => {
    const s = compileOne("a.artifact", "[Artifact]\nArtifact=quay.io/a/b:1\nCertDir=/etc/certs\nContainersConfModule=/etc/m.conf\nGlobalArgs=--root /srv/storage\nPodmanArgs=--arch arm64\nServiceName=b-pull\n");
    expect(s.filename).toBe("b-pull.service");
    const words = execWords(s);
    expect(words.slice(0, 6)).toEqual(["/usr/bin/podman", "--module=/etc/m.conf", "--root", "/srv/storage", "artifact", "pull"]);
    expect(words.slice(-5)).toEqual(["--cert-dir", "/etc/certs", "--arch", "arm64", "quay.io/a/b:1"]);
  });

  it("requires Artifact=", () => {
    const { errors, services } = compileFiles({ "none.artifact": "[Artifact]\nQuiet=yes\n" });
    expect(services.size).toBe(0);
    expect(errors.get("none.artifact")![0]).toContain("no Artifact key specified");
  });

  it("is mounted by reference from containers, which wait for the pull", () => {
    const { services } = compileFiles({
      "models.artifact": fixture("models.artifact"),
      "infer.container": "[Container]\nImage=quay.io/example/infer:2\nMount=type=artifact,source=models.artifact,destination=/models\n",
    });
    const infer = services.get("infer.service")!;
    expect(hasRun(execWords(infer), ["--mount", "type=artifact,source=registry.example.com/ml/sentiment-model:v3,destination=/models"])).toBe(true);
    expect(infer.lookupAll("Unit", "Requires")).toEqual(["models-artifact.service"]);
  });

  it("rejects keys [Artifact] does not have", () => {
    const { errors } = compileFiles({ "k.artifact": "[Artifact]\nArtifact=quay.io/a/b:1\nPull=always\n" });
    expect(errors.get("k.artifact")![0]).toContain("unsupported key 'Pull' in group 'Artifact'");
  });
});
