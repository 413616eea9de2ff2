import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isUrl } from "../../src/generator/build.js";
import { compileFiles, compileOne, execWords, hasRun, UNIT_DIR } from "../helpers.js";

/** The quadlet units of fixtures/build, by name (the Containerfile is left out). */
function fixtureUnits(): Record<string, string> {
  const root = join(process.cwd(), "fixtures", "build");
  return Object.fromEntries(
    readdirSync(root)
      .filter((name) => /\.(build|container|network|volume)$/.test(name))
      .map((name) => [name, readFileSync(join(root, name), "utf8")]),
  );
}

/** Compiles one .build unit and returns its error messages (failing if it compiled). */
function errorsOf(text: string): string[] {
  const { errors } = compileFiles({ "x.build": text });
  const errs = errors.get("x.build");
  if (!errs) throw new Error("expected x.build to fail");
  return errs;
}

describe(".build", () => {
  it("builds in the unit's directory in a oneshot service that does not stay active", () => {
    const s = compileOne("web.build", "[Build]\nImageTag=localhost/web\nSetWorkingDirectory=unit\n");
    expect(s.filename).toBe("web-build.service");
    expect(execWords(s)).toEqual(["/usr/bin/podman", "build", "--tag", "localhost/web", UNIT_DIR]);
    expect(s.lookupAll("Service", "WorkingDirectory")).toEqual([UNIT_DIR]);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
    expect(s.hasKey("Service", "RemainAfterExit")).toBe(false);
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
    expect(s.hasGroup("X-Build")).toBe(true);
    expect(s.hasGroup("Build")).toBe(false);
  });

  it("compiles a realistic unit with its network, volume and dependent container", () => {
    const { services, errors } = compileFiles(fixtureUnits());
    expect(errors.size).toBe(0);
    const api = services.get("api-build.service")!;
    const words = execWords(api);
    expect(hasRun(words, ["--pull=newer"])).toBe(true);
    expect(hasRun(words, ["--target", "runtime"])).toBe(true);
    expect(hasRun(words, ["--tag", "localhost/api:dev", "--tag", "localhost/api:latest"])).toBe(true);
    // Build arguments are sorted by name.
    expect(hasRun(words, ["--build-arg", "CGO_ENABLED=0", "--build-arg", "GO_VERSION=1.22"])).toBe(true);
    expect(hasRun(words, ["--label", "org.opencontainers.image.source=https://git.example.com/api"])).toBe(true);
    expect(hasRun(words, ["--network", "buildnet"])).toBe(true);
    expect(hasRun(words, ["--secret", "id=netrc,src=/etc/api/netrc"])).toBe(true);
    expect(hasRun(words, ["-v", "systemd-gocache:/root/.cache/go-build"])).toBe(true);
    expect(hasRun(words, ["-v", `${UNIT_DIR}/vendor:/src/vendor:ro,Z`])).toBe(true);
    expect(words.slice(-3)).toEqual(["--file", "Containerfile", UNIT_DIR]);
    expect(api.lookupAll("Unit", "Requires")).toEqual(["buildnet-network.service", "gocache-volume.service"]);
    expect(api.lookupAll("Unit", "RequiresMountsFor")).toContain(`${UNIT_DIR}/vendor`);

    // The container runs the first tag and waits for the build.
    const container = services.get("api.service")!;
    expect(execWords(container).at(-1)).toBe("localhost/api:dev");
    expect(container.lookupAll("Unit", "Requires")).toEqual(["api-build.service"]);
  });

  it("passes the remaining options as podman build flags", () => {
    const s = compileOne(
      "o.build",
      [
        "[Build]",
        "ImageTag=localhost/o",
        "SetWorkingDirectory=unit",
        "Arch=arm64",
        "Variant=v8",
        "AuthFile=/etc/containers/auth.json",
        "IgnoreFile=/srv/o/.buildignore",
        "DNS=10.0.0.53",
        "DNSOption=ndots:2",
        "DNSSearch=corp.example",
        "GroupAdd=keep-groups",
        "Annotation=org.example.team=platform",
        "Environment=LANG=C.UTF-8",
        "Retry=4",
        "RetryDelay=5s",
        "TLSVerify=false",
        "ForceRM=no",
        "",
      ].join("\n"),
    );
    const words = execWords(s);
    for (const pair of [
      ["--arch", "arm64"],
      ["--variant", "v8"],
      ["--authfile", "/etc/containers/auth.json"],
      ["--ignorefile", "/srv/o/.buildignore"],
      ["--dns", "10.0.0.53"],
      ["--dns-option", "ndots:2"],
      ["--dns-search", "corp.example"],
      ["--group-add", "keep-groups"],
      ["--annotation", "org.example.team=platform"],
      ["--env", "LANG=C.UTF-8"],
      ["--retry", "4"],
      ["--retry-delay", "5s"],
    ]) {
      expect(hasRun(words, pair), pair.join(" ")).toBe(true);
    }
    expect(words).toContain("--tls-verify=false");
    expect(words).toContain("--force-rm=false");
  });

  it("puts modules and GlobalArgs= before `build` and PodmanArgs= before the context", () => {
    const s = compileOne(
      "g.build",
      "[Build]\nImageTag=localhost/g\nSetWorkingDirectory=/srv/g\nContainersConfModule=/etc/containers/b.conf\nGlobalArgs=--log-level=info\nPodmanArgs=--squash --layers=false\n",
    );
    expect(execWords(s)).toEqual([
      "/usr/bin/podman", "--module=/etc/containers/b.conf", "--log-level=info",
      "build", "--tag", "localhost/g", "--squash", "--layers=false", "/srv/g",
    ]);
  });

  describe("working directory and context", () => {
    it("uses an absolute SetWorkingDirectory= as the context and leaves WorkingDirectory= alone", () => {
      const s = compileOne("a.build", "[Build]\nImageTag=localhost/a\nSetWorkingDirectory=/srv/src/a\n");
      expect(execWords(s).at(-1)).toBe("/srv/src/a");
      expect(s.hasKey("Service", "WorkingDirectory")).toBe(false);
    });

    it("reads a relative context from the unit's directory", () => {
      const s = compileOne("r.build", "[Build]\nImageTag=localhost/r\nSetWorkingDirectory=src\nFile=Containerfile\n");
      expect(execWords(s).slice(-3)).toEqual(["--file", "Containerfile", "src"]);
      expect(s.lookup("Service", "WorkingDirectory")).toBe(UNIT_DIR);
    });

    it("works in the directory of File= for SetWorkingDirectory=file", () => {
      const s = compileOne("f.build", "[Build]\nImageTag=localhost/f\nFile=/srv/f/docker/Containerfile\nSetWorkingDirectory=file\n");
      expect(s.lookup("Service", "WorkingDirectory")).toBe("/srv/f/docker");
      expect(execWords(s).slice(-2)).toEqual(["--file", "/srv/f/docker/Containerfile"]);
    });

    it("resolves a relative File= against the unit for SetWorkingDirectory=file", () => {
      const s = compileOne("f.build", "[Build]\nImageTag=localhost/f\nFile=./images/../Containerfile\nSetWorkingDirectory=FILE\n");
      expect(s.lookup("Service", "WorkingDirectory")).toBe(UNIT_DIR);
      expect(execWords(s).slice(-3)).toEqual(["--file", "./images/../Containerfile", UNIT_DIR]);
    });

    it("keeps a systemd specifier in File= for systemd to expand", () => {
      const s = compileOne("h.build", "[Build]\nImageTag=localhost/h\nFile=%h/images/h/Containerfile\nSetWorkingDirectory=file\n");
      expect(s.lookup("Service", "WorkingDirectory")).toBe("%h/images/h");
      const plain = compileOne("h.build", "[Build]\nImageTag=localhost/h\nFile=%h/images/h/Containerfile\n");
      expect(execWords(plain).slice(-2)).toEqual(["--file", "%h/images/h/Containerfile"]);
      expect(plain.hasKey("Service", "WorkingDirectory")).toBe(false);
    });

    it("hands a git or archive URL to podman without touching WorkingDirectory=", () => {
      for (const url of ["https://git.example.com/team/app.git", "git://git@git.example.com/team/app", "https://example.com/app/src.tar.gz"]) {
        const s = compileOne("u.build", `[Build]\nImageTag=localhost/u\nSetWorkingDirectory=${url}\n`);
        expect(execWords(s).at(-1)).toBe(url);
        expect(s.hasKey("Service", "WorkingDirectory"), url).toBe(false);
      }
    });

    it("treats a scheme-less repository address as a relative context", () => {
      const s = compileOne("gh.build", "[Build]\nImageTag=localhost/gh\nSetWorkingDirectory=github.com/example/app.git\n");
      expect(execWords(s).at(-1)).toBe("github.com/example/app.git");
      expect(s.lookup("Service", "WorkingDirectory")).toBe(UNIT_DIR);
    });

    it("builds from a remote Containerfile with no context argument", () => {
      const s = compileOne("w.build", "[Build]\nImageTag=localhost/w\nFile=https://example.com/app/Containerfile\n");
      expect(execWords(s).slice(-2)).toEqual(["--file", "https://example.com/app/Containerfile"]);
    });

    it("keeps a WorkingDirectory= the unit sets itself and builds there", () => {
      const s = compileOne("k.build", "[Build]\nImageTag=localhost/k\nSetWorkingDirectory=unit\n\n[Service]\nWorkingDirectory=/srv/k\n");
      expect(s.lookupAll("Service", "WorkingDirectory")).toEqual(["/srv/k"]);
      expect(execWords(s).at(-1)).toBe("/srv/k");
    });

    it("accepts a [Service] WorkingDirectory= in place of SetWorkingDirectory=", () => {
      const s = compileOne("s.build", "[Build]\nImageTag=localhost/s\nFile=Containerfile\n\n[Service]\nWorkingDirectory=/srv/s\n");
      expect(execWords(s).slice(-3)).toEqual(["--file", "Containerfile", "/srv/s"]);
    });
  });

  describe("errors", () => {
    it("requires ImageTag=", () => {
      expect(errorsOf("[Build]\nSetWorkingDirectory=unit\n")[0]).toContain(`converting "x.build": no ImageTag key specified`);
      // An empty assignment clears the tags before it.
      expect(errorsOf("[Build]\nImageTag=localhost/a\nImageTag=\nSetWorkingDirectory=unit\n")[0]).toContain("no ImageTag key specified");
    });

    it("requires a context or a Containerfile", () => {
      expect(errorsOf("[Build]\nImageTag=localhost/n\n")[0]).toContain("neither SetWorkingDirectory, nor File key specified");
    });

    it("requires a working directory for a relative File=", () => {
      const [err] = errorsOf("[Build]\nImageTag=localhost/n\nFile=docker/Containerfile\n");
      expect(err).toContain("relative path in File key requires SetWorkingDirectory key to be set");
      expect(err).toContain(":3");
    });

    it("requires File= for SetWorkingDirectory=file", () => {
      expect(errorsOf("[Build]\nImageTag=localhost/n\nSetWorkingDirectory=file\n")[0]).toContain("no File key specified");
    });

    it("refuses SetWorkingDirectory=yaml, which only kube units have", () => {
      expect(errorsOf("[Build]\nImageTag=localhost/n\nSetWorkingDirectory=yaml\n")[0]).toContain("SetWorkingDirectory=yaml is only supported in .kube files");
    });

    it("reports a Network= or Volume= naming a unit that does not exist", () => {
      expect(errorsOf("[Build]\nImageTag=localhost/n\nSetWorkingDirectory=unit\nNetwork=missing.network\n")[0]).toContain("missing.network");
      expect(errorsOf("[Build]\nImageTag=localhost/n\nSetWorkingDirectory=unit\nVolume=missing.volume:/data\n")[0]).toContain("missing.volume");
    });

    it("rejects keys the [Build] section does not have", () => {
      expect(errorsOf("[Build]\nImageTag=localhost/n\nSetWorkingDirectory=unit\nPolicy=always\n")[0]).toContain("unsupported key 'Policy' in group 'Build'");
    });
  });

  it("names the image of a multi-tag build by its first tag, also through ServiceName=", () => {
    const { services } = compileFiles({
      "multi.build": "[Build]\nImageTag=localhost/multi:1.4\nImageTag=localhost/multi:latest\nSetWorkingDirectory=unit\nServiceName=multi-image-build\n",
      "multi.container": "[Container]\nImage=multi.build\n",
      "multi-data.volume": "[Volume]\nDriver=image\nImage=multi.build\n",
    });
    expect(services.has("multi-image-build.service")).toBe(true);
    const container = services.get("multi.service")!;
    expect(execWords(container).at(-1)).toBe("localhost/multi:1.4");
    expect(container.lookupAll("Unit", "Requires")).toEqual(["multi-image-build.service"]);
    expect(hasRun(execWords(services.get("multi-data-volume.service")!), ["--opt", "image=localhost/multi:1.4"])).toBe(true);
  });
});

describe("isUrl", () => {
  it("accepts a scheme with a host and nothing else", () => {
    expect(isUrl("https://example.com/x.git")).toBe(true);
    expect(isUrl("git://git@git.example.com/~user/repo")).toBe(true);
    expect(isUrl("github.com/example/app.git")).toBe(false);
    expect(isUrl("file:///srv/app")).toBe(false);
    expect(isUrl("localhost:5000/app")).toBe(false);
    expect(isUrl("/srv/app")).toBe(false);
    expect(isUrl("")).toBe(false);
  });
});
