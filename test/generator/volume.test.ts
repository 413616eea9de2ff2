import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { AccountLookup } from "../../src/generator/unit-type.js";
import { compileFiles, compileOne, execWords, hasRun } from "../helpers.js";

const fixture = (name: string) => readFileSync(resolve("fixtures/volume", name), "utf8");

/** A host with a postgres account (uid 26, gid 26) and a media group (gid 990). */
const accounts: AccountLookup = {
  uid: (name) => ({ root: 0, postgres: 26 })[name],
  gid: (name) => ({ root: 0, postgres: 26, media: 990 })[name],
};

describe(".volume", () => {
  it("creates the volume once, keeping an existing one", () => {
    const s = compileOne("cache.volume", "[Volume]\n");
    expect(s.filename).toBe("cache-volume.service");
    expect(execWords(s)).toEqual(["/usr/bin/podman", "volume", "create", "--ignore", "systemd-cache"]);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
    expect(s.lookup("Service", "RemainAfterExit")).toBe("yes");
    expect(s.lookup("Service", "SyslogIdentifier")).toBe("%N");
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
    expect(s.hasGroup("X-Volume")).toBe(true);
    expect(s.hasGroup("Volume")).toBe(false);
  });

  it("keeps [Service] settings the unit makes itself", () => {
    const s = compileOne("cache.volume", "[Volume]\n[Service]\nRemainAfterExit=no\nSyslogIdentifier=cache-setup\n");
    expect(s.lookupAll("Service", "RemainAfterExit")).toEqual(["no"]);
    expect(s.lookupAll("Service", "SyslogIdentifier")).toEqual(["cache-setup"]);
    expect(s.lookup("Service", "Type")).toBe("oneshot");
  });

  it("resolves User= and Group= names to host ids and puts the owner before Options=", () => {
    const s = compileOne("pgdata.volume", fixture("pgdata.volume"), { accounts });
    const words = execWords(s);
    expect(hasRun(words, ["--opt", "o=uid=26,gid=26,noatime"])).toBe(true);
    expect(hasRun(words, ["--label", "app=billing", "--label", "backup=nightly", "--label", "tier=db"])).toBe(true);
    expect(words.at(-1)).toBe("pgdata");
  });

  it("passes numeric ids through without a lookup", () => {
    const s = compileOne("n.volume", "[Volume]\nUser=1001\nGroup=media\n", { accounts });
    expect(hasRun(execWords(s), ["--opt", "o=uid=1001,gid=990"])).toBe(true);
  });

  it("refuses a user name the host does not know, naming file, line and name", () => {
    const { errors, services } = compileFiles({ "x.volume": "[Volume]\nGroup=26\nUser=nobody-here\n" }, { accounts });
    expect(services.size).toBe(0);
    const [message] = errors.get("x.volume")!;
    expect(message).toContain("unknown user 'nobody-here' in User=");
    expect(message).toContain("/etc/containers/systemd/x.volume:3");
  });

  it("refuses a group name the host does not know", () => {
    const { errors } = compileFiles({ "x.volume": "[Volume]\nUser=0\nGroup=wheel\n" }, { accounts });
    expect(errors.get("x.volume")![0]).toContain("unknown group 'wheel' in Group=");
  });

  it("binds a host directory and waits for its mount", () => {
    const s = compileOne("media.volume", fixture("media.volume"));
    const words = execWords(s);
    expect(hasRun(words, ["--opt", "nocopy", "--opt", "device=/srv/media", "--opt", "type=bind"])).toBe(true);
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers", "/srv/media"]);
  });

  it("asks for a copy of the image content with Copy=yes", () => {
    const s = compileOne("c.volume", "[Volume]\nCopy=yes\nDevice=tmpfs\nType=tmpfs\nOptions=size=64m\n");
    expect(hasRun(execWords(s), ["--opt", "copy", "--opt", "device=tmpfs", "--opt", "type=tmpfs", "--opt", "o=size=64m"])).toBe(true);
    expect(s.lookupAll("Unit", "RequiresMountsFor")).toEqual(["%t/containers"]);
  });

  it("refuses Type= without Device=", () => {
    const { errors } = compileFiles({ "t.volume": "[Volume]\nType=ext4\n" });
    expect(errors.get("t.volume")![0]).toContain("key Type can't be used without Device");
  });

  it("sets the directory owner with UID= and GID=, which are not mount options", () => {
    const words = execWords(compileOne("o.volume", "[Volume]\nUID=1234\nGID=5678\n"));
    expect(hasRun(words, ["--uid", "1234", "--gid", "5678"])).toBe(true);
    expect(words.some((w) => w.startsWith("o="))).toBe(false);
  });

  it("makes an image volume from a registry image", () => {
    const words = execWords(compileOne("i.volume", "[Volume]\nDriver=image\nImage=quay.io/example/site:2\n"));
    expect(hasRun(words, ["--driver", "image", "--opt", "image=quay.io/example/site:2"])).toBe(true);
  });

  it("makes an image volume from a .image unit and waits for its pull", () => {
    const { services, errors } = compileFiles({
      "site-content.volume": "[Volume]\nDriver=image\nImage=site.image\n",
      "site.image": "[Image]\nImage=quay.io/example/site:3\n",
    });
    expect(errors.get("site-content.volume")).toBeUndefined();
    const s = services.get("site-content-volume.service")!;
    expect(hasRun(execWords(s), ["--opt", "image=quay.io/example/site:3"])).toBe(true);
    expect(s.lookupAll("Unit", "Requires")).toEqual(["site-image.service"]);
  });

  it("requires Image= with Driver=image", () => {
    const { errors } = compileFiles({ "i.volume": "[Volume]\nDriver=image\n" });
    expect(errors.get("i.volume")![0]).toContain("the key Image is mandatory when using the image driver");
  });

  it("makes an image volume from the image a .build unit tags", () => {
    const { services } = compileFiles({ "site-content.volume": fixture("site-content.volume"), "site.build": fixture("site.build") });
    const s = services.get("site-content-volume.service")!;
    expect(hasRun(execWords(s), ["--driver", "image", "--opt", "image=localhost/site:latest"])).toBe(true);
    expect(s.lookupAll("Unit", "Requires")).toEqual(["site-build.service"]);
    expect(s.lookupAll("Unit", "After")).toEqual(["network-online.target", "site-build.service"]);
  });

  it("fails when the .build unit it names does not exist", () => {
    const { errors } = compileFiles({ "site-content.volume": fixture("site-content.volume") });
    expect(errors.get("site-content.volume")![0]).toContain("requested Quadlet image site.build was not found");
  });

  it("puts ContainersConfModule= and GlobalArgs= before the subcommand, PodmanArgs= before the name", () => {
    const words = execWords(
      compileOne("g.volume", "[Volume]\nContainersConfModule=/etc/m.conf\nGlobalArgs=--log-level=debug\nPodmanArgs=--driver-opt x\nVolumeName=g\n"),
    );
    expect(words.slice(0, 6)).toEqual(["/usr/bin/podman", "--module=/etc/m.conf", "--log-level=debug", "volume", "create", "--ignore"]);
    expect(words.slice(-3)).toEqual(["--driver-opt", "x", "g"]);
  });

  it("names template instances apart, so that containers can refer to the template", () => {
    const { services } = compileFiles({
      "cache@.volume": "[Volume]\n",
      "app@.container": "[Container]\nImage=quay.io/example/app:1\nVolume=cache@.volume:/var/cache/app\n",
    });
    expect(execWords(services.get("cache-volume@.service")!).at(-1)).toBe("systemd-cache-%i");
    const app = services.get("app@.service")!;
    expect(hasRun(execWords(app), ["-v", "systemd-cache-%i:/var/cache/app"])).toBe(true);
    expect(app.lookupAll("Unit", "Requires")).toEqual(["cache-volume@.service"]);
  });

  it("uses VolumeName= and ServiceName= when containers refer to it", () => {
    const { services } = compileFiles({
      "db.volume": "[Volume]\nVolumeName=pg-%i\nServiceName=pg-storage\n",
      "db.container": "[Container]\nImage=quay.io/example/pg:16\nMount=type=volume,source=db.volume,destination=/var/lib/pg\n",
    });
    expect(services.has("pg-storage.service")).toBe(true);
    const db = services.get("db.service")!;
    expect(hasRun(execWords(db), ["--mount", "type=volume,source=pg-%i,destination=/var/lib/pg"])).toBe(true);
    expect(db.lookupAll("Unit", "Requires")).toEqual(["pg-storage.service"]);
  });

  it("rejects keys [Volume] does not have", () => {
    const { errors } = compileFiles({ "k.volume": "[Volume]\nSize=10G\n" });
    expect(errors.get("k.volume")![0]).toContain("unsupported key 'Size' in group 'Volume'");
  });
});
