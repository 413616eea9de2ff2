/**
 * Realistic compose stacks, in the styles people publish: each converts without an error,
 * its units compile as the generator would, and the services run the same images with the
 * same ports, environment, volumes and dependencies as the compose file says. The expected
 * values are read from the compose file here, independently of convert's own reader.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { execWords } from "../helpers.js";
import { compileUnits, FIXTURES, readTree, removeDir, runConvert, runSpecOf, splitQuadlets, tempDir, unitList } from "./helpers.js";

const STACKS = join(FIXTURES, "stacks");
const stacks = readdirSync(STACKS).sort();

type Json = Record<string, unknown>;

/** `${X}`, `${X:-d}`, `${X-d}`, `${X:?e}`, `$$`: enough of compose's substitution for these files. */
function substitute(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\$|\$\{(\w+)(?::?[-?]([^}]*))?\}/g, (m, name: string | undefined, def: string | undefined) => (m === "$$" ? "$" : (vars[name!] || def) ?? ""));
}

function deepSubstitute(v: unknown, vars: Record<string, string>): unknown {
  if (typeof v === "string") return substitute(v, vars);
  if (Array.isArray(v)) return v.map((x) => deepSubstitute(x, vars));
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepSubstitute(x, vars)]));
  return v;
}

/** An override file merged into the main one: mappings key by key, lists appended. */
function merge(a: unknown, b: unknown): unknown {
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (a && b && typeof a === "object" && typeof b === "object") {
    const out: Json = { ...(a as Json) };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return b;
}

function loadStack(dir: string): { project: string; services: Record<string, Json>; configs: Json } {
  const vars: Record<string, string> = {};
  if (existsSync(join(dir, ".env"))) {
    for (const line of readFileSync(join(dir, ".env"), "utf8").split("\n")) {
      const m = /^(\w+)=(.*)$/.exec(line);
      if (m) vars[m[1]!] = m[2]!;
    }
  }
  let doc = parse(readFileSync(join(dir, "compose.yaml"), "utf8"), { merge: true }) as Json;
  if (existsSync(join(dir, "compose.override.yaml"))) doc = merge(doc, parse(readFileSync(join(dir, "compose.override.yaml"), "utf8"))) as Json;
  doc = deepSubstitute(doc, vars) as Json;
  const project = (doc["name"] as string | undefined) ?? dir.split("/").pop()!;
  const services = Object.fromEntries(Object.entries(doc["services"] as Record<string, Json>).filter(([, s]) => !s["profiles"]));
  return { project, services, configs: (doc["configs"] ?? {}) as Json };
}

function envOf(svc: Json): Record<string, string> {
  const env = svc["environment"];
  if (Array.isArray(env)) return Object.fromEntries(env.map((e: string) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  return Object.fromEntries(Object.entries((env ?? {}) as Json).map(([k, v]) => [k, String(v)]));
}

function portsOf(svc: Json): string[] {
  return ((svc["ports"] ?? []) as unknown[]).map((p) => {
    if (typeof p !== "object") return String(p);
    const q = p as Json;
    return `${q["published"]}:${q["target"]}${q["protocol"] ? `/${q["protocol"]}` : ""}`;
  });
}

/** Volumes as podman is given them; a config read from a file is mounted read-only. */
function volumesOf(svc: Json, project: string, dir: string, configs: Json): string[] {
  const mounted = ((svc["configs"] ?? []) as Json[]).map((c) => `${join(dir, String((configs[String(c["source"])] as Json)["file"]))}:${c["target"]}:ro`);
  return mounted.concat(((svc["volumes"] ?? []) as unknown[]).map((v) => {
    if (typeof v === "object") {
      const q = v as Json;
      const source = String(q["source"]);
      return `${source.startsWith(".") ? join(dir, source) : source}:${q["target"]}${q["read_only"] ? ":ro" : ""}`;
    }
    const [source, ...rest] = String(v).split(":");
    const named = !/^[./~]/.test(source!);
    return [named ? `${project}_${source}` : source!.startsWith(".") ? join(dir, source!) : source, ...rest].join(":");
  }));
}

function dependenciesOf(svc: Json): Record<string, string> {
  const deps = svc["depends_on"];
  if (Array.isArray(deps)) return Object.fromEntries(deps.map((d: string) => [d, "service_started"]));
  return Object.fromEntries(Object.entries((deps ?? {}) as Record<string, Json>).map(([k, v]) => [k, String(v["condition"] ?? "service_started")]));
}

const out = tempDir("stacks");
afterAll(() => removeDir(out));

describe("realistic stacks", () => {
  it("there are at least 15", () => {
    expect(stacks.length).toBeGreaterThanOrEqual(15);
  });

  describe.each(stacks)("%s", (name) => {
    const dir = join(STACKS, name);
    const target = join(out, name);

    it("converts, verifies clean, and runs what the compose file says", async () => {
      const r = await runConvert(["compose", "-o", target], dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.status).toBe(0);
      const services = compileUnits(readTree(target));
      const { project, services: expected, configs } = loadStack(dir);
      const containerName = (svc: string): string => (expected[svc]!["container_name"] as string | undefined) ?? `${project}-${svc}`;
      for (const [svc, spec] of Object.entries(expected)) {
        const service = services.get(`${containerName(svc)}.service`);
        expect(service, `${svc} has a service`).toBeDefined();
        const run = runSpecOf(service!);
        expect(run.name).toBe(containerName(svc));
        if (!spec["build"]) expect(run.image).toBe(spec["image"]);
        else expect(run.image).toBe(spec["image"] ?? `localhost/${project}-${svc}:latest`);
        expect(run.publish.sort()).toEqual(portsOf(spec).sort());
        expect(run.env).toEqual(envOf(spec));
        expect(run.volumes.sort()).toEqual(volumesOf(spec, project, dir, configs).sort());
        if (spec["network_mode"]) expect(run.networks).toEqual([spec["network_mode"]]);
        else expect(run.aliases).toContain(svc);
        for (const [dep, condition] of Object.entries(dependenciesOf(spec))) {
          const depService = `${containerName(dep)}.service`;
          expect(unitList(service!, "Requires")).toContain(depService);
          expect(unitList(service!, "After")).toContain(depService);
          const depRun = runSpecOf(services.get(depService)!);
          if (condition === "service_healthy") expect(depRun.sdnotify).toBe("healthy");
          if (condition === "service_completed_successfully") expect(services.get(depService)!.lookup("Service", "Type")).toBe("oneshot");
        }
      }
      // no service runs but those the compose file enables
      const containers = [...services.keys()].filter((s) => !/-(volume|network|build|pod)\.service$/.test(s));
      expect(containers.sort()).toEqual(Object.keys(expected).map((s) => `${containerName(s)}.service`).sort());
    });

    it("converts into one pod that publishes every port, and compiles", async () => {
      const r = await runConvert(["compose", "--pod"], dir);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.status).toBe(0);
      const services = compileUnits(splitQuadlets(r.stdout));
      const { project, services: expected } = loadStack(dir);
      const pod = services.get(`${project}-pod.service`)!;
      const podWords = execWords(pod, "ExecStartPre");
      const published = podWords.flatMap((w, i) => (podWords[i - 1] === "--publish" ? [w] : []));
      expect(published.sort()).toEqual(Object.values(expected).flatMap(portsOf).sort());
      for (const [svc, spec] of Object.entries(expected)) {
        const name = (spec["container_name"] as string | undefined) ?? `${project}-${svc}`;
        const run = runSpecOf(services.get(`${name}.service`)!);
        expect(run.flags).toContainEqual(["--pod", project]);
        expect(run.publish).toEqual([]);
      }
    });

    it("gives the same bytes every time, as files and as one .quadlets text", async () => {
      const a = await runConvert(["compose", "--format", "quadlets"], dir);
      const b = await runConvert(["compose", "--format", "quadlets"], dir);
      expect(a.status).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      // the .quadlets text holds the same units as the files
      const files = readTree(target);
      const units = splitQuadlets(a.stdout);
      expect(Object.keys(units).sort()).toEqual(Object.keys(files).sort());
      for (const [file, text] of Object.entries(units)) expect(`# FileName=${file.replace(/\.[a-z]+$/, "")}\n` + files[file]).toBe(text.endsWith("\n") ? text : `${text}\n`);
    });
  });
});
