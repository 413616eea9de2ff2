// A whole application written as quadlet files: a pod holding a database and a storefront
// built from source, their network and volumes, and a templated worker with a templated
// volume. Checks that the units find each other as podman's quadlet would wire them.
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { hostFs } from "../../src/fsys.js";
import { compileAll } from "../../src/generator/index.js";
import { CollectingLogger } from "../../src/log.js";
import { discoverUnits } from "../../src/parser/discover.js";
import type { UnitFile } from "../../src/parser/unitfile.js";
import { execWords, hasRun } from "../helpers.js";

const dir = resolve("fixtures/stack");
const found = discoverUnits({ userMode: false, env: { QUADLET_UNIT_DIRS: dir }, uid: 0 }, hostFs, new CollectingLogger());
const results = compileAll(found.units, { userMode: false, podman: "/usr/bin/podman" });
const services = new Map<string, UnitFile>();
for (const r of results) if (r.ok) services.set(r.service.unit.filename, r.service.unit);
const service = (name: string): UnitFile => {
  const s = services.get(name);
  if (!s) throw new Error(`${name} was not generated; got ${[...services.keys()].join(", ")}`);
  return s;
};

describe("a full stack", () => {
  it("compiles every unit", () => {
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect([...services.keys()].sort()).toEqual([
      "cache-volume@.service",
      "shop-db-volume.service",
      "shop-db.service",
      "shop-network.service",
      "shop-pod.service",
      "storefront-build.service",
      "storefront.service",
      "worker@.service",
    ]);
  });

  it("puts the database in the pod, on its named volume", () => {
    const db = service("shop-db.service");
    const words = execWords(db);
    expect(hasRun(words, ["--pod", "shop"])).toBe(true);
    expect(hasRun(words, ["-v", "shop-db:/var/lib/mysql:Z"])).toBe(true);
    expect(db.lookupAll("Unit", "Requires")).toContain("shop-db-volume.service");
    expect(db.lookupAll("Unit", "BindsTo")).toEqual(["shop-pod.service"]);
  });

  it("starts the pod's containers with the pod, on the quadlet network", () => {
    const pod = service("shop-pod.service");
    expect(pod.lookupAll("Unit", "Wants")).toEqual(expect.arrayContaining(["shop-db.service", "storefront.service"]));
    expect(pod.lookupAll("Unit", "Requires")).toContain("shop-network.service");
    expect(hasRun(execWords(pod, "ExecStartPre"), ["--network", "shop"])).toBe(true);
  });

  it("runs the storefront from the image its .build unit makes, after the database", () => {
    const web = service("storefront.service");
    expect(execWords(web).at(-1)).toBe("localhost/storefront:latest");
    expect(web.lookupAll("Unit", "Requires")).toEqual(expect.arrayContaining(["shop-db.service", "storefront-build.service"]));
    // A relative host path is relative to the unit file.
    expect(hasRun(execWords(web), ["-v", `${dir}/config:/etc/storefront:ro,Z`])).toBe(true);
  });

  it("gives every worker instance a volume of its own", () => {
    const worker = service("worker@.service");
    const words = execWords(worker);
    expect(hasRun(words, ["-v", "systemd-cache-%i:/var/cache/worker"])).toBe(true);
    expect(worker.lookupAll("Unit", "Requires")).toEqual(expect.arrayContaining(["cache-volume@.service", "shop-network.service"]));
    expect(execWords(service("cache-volume@.service")).at(-1)).toBe("systemd-cache-%i");
    expect(words.slice(-2)).toEqual(["--queue", "%i"]);
  });
});
