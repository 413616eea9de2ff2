/**
 * Reading compose projects: substitution, .env, several files, extends, profiles, the
 * project name, errors with file and line, pods, and the output options.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { interpolate, InterpolationError, parseDotEnv } from "../../src/convert/interpolate.js";
import { compileUnits, readTree, removeDir, runConvert, runSpecOf, splitQuadlets, tempDir } from "./helpers.js";

describe("interpolation", () => {
  const vars = new Map([
    ["SET", "value"],
    ["EMPTY", ""],
  ]);
  it.each([
    ["$SET and ${SET}", "value and value"],
    ["${UNSET:-fallback}", "fallback"],
    ["${EMPTY:-fallback}", "fallback"],
    ["${EMPTY-fallback}", ""],
    ["${UNSET-fallback}", "fallback"],
    ["${SET:+other}", "other"],
    ["${UNSET:+other}", ""],
    ["${UNSET:-${SET}}", "value"],
    ["$$SET costs $$5", "$SET costs $5"],
    ["a lone $ stays", "a lone $ stays"],
  ])("%s is %s", (text, want) => {
    expect(interpolate(text, vars).text).toBe(want);
  });

  it("reports variables used without a value", () => {
    expect(interpolate("${NOPE}/$ALSO", vars)).toEqual({ text: "/", unset: ["NOPE", "ALSO"] });
  });

  it("fails on ${VAR:?message} when VAR is unset or empty, with the message", () => {
    expect(() => interpolate("${EMPTY:?must be set}", vars)).toThrow(new InterpolationError("required variable EMPTY is empty: must be set"));
    expect(() => interpolate("${UNSET?}", vars)).toThrow(/UNSET is not set/);
    expect(interpolate("${EMPTY?x}", vars).text).toBe("");
  });

  it("reads .env files as compose does", () => {
    const { vars: v, bad } = parseDotEnv('# c\nA=1\nexport B="two\\nlines"\nC=\'$A literal\'\nD=${A}-x # note\nnot a line\n', new Map());
    expect([...v]).toEqual([
      ["A", "1"],
      ["B", "two\nlines"],
      ["C", "$A literal"],
      ["D", "1-x"],
    ]);
    expect(bad).toEqual([6]);
  });
});

let dir: string;
beforeEach(() => {
  dir = tempDir("compose");
});
afterEach(() => removeDir(dir));

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
}

describe("projects", () => {
  it("merges -f files in order and takes the project name from -p", async () => {
    write({
      "a.yaml": "services:\n  web:\n    image: one\n    environment: [A=1, B=1]\n    ports: ['80:80']\n    command: a b\n",
      "b.yaml": "services:\n  web:\n    image: two\n    environment:\n      B: 2\n    ports: ['443:443']\n    command: [c]\n",
    });
    const r = await runConvert(["compose", "-f", "a.yaml", "-f", "b.yaml", "-p", "My_Proj"], dir);
    expect(r.status).toBe(0);
    const web = splitQuadlets(r.stdout)["my_proj-web.container"]!;
    expect(web).toContain("Image=two\n");
    expect(web).toContain("Environment=A=1\nEnvironment=B=2\n");
    expect(web).toContain("PublishPort=80:80\nPublishPort=443:443\n");
    expect(web).toContain("Exec=c\n");
    expect(web).not.toContain("Exec=a b");
  });

  it("reads the files COMPOSE_FILE names when there is no -f", async () => {
    write({ "a.yaml": "name: p\nservices:\n  s:\n    image: one\n", "b.yaml": "services:\n  s:\n    image: two\n" });
    const r = await runConvert(["compose"], dir, { COMPOSE_FILE: "a.yaml:b.yaml" });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Image=two\n");
  });

  it("includes the files include: names, their paths taken from their own directory", async () => {
    write({
      "compose.yaml": "name: p\ninclude:\n  - db/compose.yaml\nservices:\n  web:\n    image: w\n    depends_on: [db]\n",
      "db/compose.yaml": "services:\n  db:\n    image: d\n    volumes: ['./data:/var/lib/db']\n",
    });
    const r = await runConvert(["compose"], dir);
    expect(r.status).toBe(0);
    const units = splitQuadlets(r.stdout);
    expect(units["p-db.container"]).toContain(`Volume=${dir}/db/data:/var/lib/db\n`);
    expect(units["p-web.container"]).toContain("Requires=p-db.service\n");
  });

  it("names the project from name:, else from COMPOSE_PROJECT_NAME, else from the directory", async () => {
    write({ "compose.yaml": "services:\n  s:\n    image: i\n" });
    const byDir = await runConvert(["compose"], dir);
    const dirName = dir.split("/").pop()!.toLowerCase().replace(/[^a-z0-9_-]/g, "");
    expect(Object.keys(splitQuadlets(byDir.stdout))).toContain(`${dirName}-s.container`);
    const byEnv = await runConvert(["compose"], dir, { COMPOSE_PROJECT_NAME: "envname" });
    expect(Object.keys(splitQuadlets(byEnv.stdout))).toContain("envname-s.container");
    write({ "compose.yaml": "name: named\nservices:\n  s:\n    image: i\n" });
    expect(Object.keys(splitQuadlets((await runConvert(["compose"], dir)).stdout))).toContain("named-s.container");
  });

  it("substitutes from the environment over .env, and fails on a required variable", async () => {
    write({ ".env": "TAG=from-dotenv\nPORT=8080\n", "compose.yaml": "name: p\nservices:\n  s:\n    image: img:${TAG}\n    ports: ['${PORT}:80']\n    environment:\n      REQ: ${REQ:?set REQ first}\n" });
    const failed = await runConvert(["compose"], dir);
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain("compose.yaml:7: error[QL1003]: required variable REQ is not set: set REQ first");
    expect(failed.stdout).toBe("");
    const ok = await runConvert(["compose"], dir, { REQ: "yes", TAG: "from-env" });
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain("Image=img:from-env\n");
    expect(ok.stdout).toContain("PublishPort=8080:80\n");
  });

  it("leaves out services of inactive profiles, and takes them with --profile or COMPOSE_PROFILES", async () => {
    write({ "compose.yaml": "name: p\nservices:\n  a:\n    image: i\n  dbg:\n    image: i\n    profiles: [debug]\n" });
    expect(Object.keys(splitQuadlets((await runConvert(["compose"], dir)).stdout))).not.toContain("p-dbg.container");
    expect(Object.keys(splitQuadlets((await runConvert(["compose", "--profile", "debug"], dir)).stdout))).toContain("p-dbg.container");
    expect(Object.keys(splitQuadlets((await runConvert(["compose"], dir, { COMPOSE_PROFILES: "debug" })).stdout))).toContain("p-dbg.container");
  });

  it("refuses a dependency on a service whose profile is not active, naming the line", async () => {
    write({ "compose.yaml": "name: p\nservices:\n  a:\n    image: i\n    depends_on: [dbg]\n  dbg:\n    image: i\n    profiles: [debug]\n" });
    const r = await runConvert(["compose"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("compose.yaml:5: error[QL1003]: services.a.depends_on: service dbg is in a profile that is not active");
  });

  it("resolves extends: in the same file, with the service's own fields winning", async () => {
    write({ "compose.yaml": "name: p\nservices:\n  base:\n    image: base\n    environment: {A: base, B: base}\n  child:\n    extends: base\n    environment: {B: child}\n" });
    const child = splitQuadlets((await runConvert(["compose"], dir)).stdout)["p-child.container"]!;
    expect(child).toContain("Image=base\n");
    expect(child).toContain("Environment=A=base\nEnvironment=B=child\n");
  });

  it.each([
    ["services:\n  s:\n    image: i\n    volumes: [data:/d]\n", "compose.yaml:5: error[QL1003]: services.s.volumes: volume data is not defined under the top-level volumes:"],
    ["services:\n  s:\n    image: i\n    networks: [back]\n", "compose.yaml:5: error[QL1003]: services.s.networks: network back is not defined under the top-level networks:"],
    ["services:\n  s:\n    image: i\n    restart: sometimes\n", 'compose.yaml:5: error[QL1003]: services.s.restart: "sometimes" is not a restart policy'],
    ["services:\n  s:\n    command: x\n", "compose.yaml:4: error[QL1003]: services.s: has neither image: nor build:"],
    ["services:\n  s:\n    image: i\n    stop_grace_period: soon\n", 'services.s.stop_grace_period: "soon" is not a duration'],
  ])("refuses a wrong project, naming file, line and field: %s", async (text, message) => {
    write({ "compose.yaml": `name: p\n${text}` });
    const r = await runConvert(["compose", "-o", join(dir, "out")], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(message);
    expect(existsSync(join(dir, "out"))).toBe(false);
  });

  it("reports YAML that does not parse, with its line", async () => {
    write({ "compose.yaml": "services:\n  s:\n    image: i\n   bad: indent\n" });
    const r = await runConvert(["compose"], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/compose\.yaml:4: /);
  });

  it("with --pod, puts every container in one pod that publishes the ports", async () => {
    write({ "compose.yaml": "name: p\nservices:\n  web:\n    image: w\n    ports: ['8080:80']\n    depends_on: [db]\n  db:\n    image: d\n" });
    const r = await runConvert(["compose", "--pod"], dir);
    expect(r.status).toBe(0);
    const units = splitQuadlets(r.stdout);
    expect(units["p.pod"]).toContain("PublishPort=8080:80\n");
    expect(units["p.pod"]).toContain("AddHost=db:127.0.0.1\n");
    expect(units["p.pod"]).toContain("Network=p_default.network\n");
    expect(units["p-web.container"]).toContain("Pod=p.pod\n");
    expect(units["p-web.container"]).not.toContain("PublishPort");
    const services = compileUnits(units);
    expect(runSpecOf(services.get("p-web.service")!).flags).toContainEqual(["--pod", "p"]);
  });
});

describe("output", () => {
  const COMPOSE = "name: p\nservices:\n  web:\n    image: docker.io/library/nginx:1\n    ports: ['8080:80']\n";

  it("writes one file a unit into -o DIR and names them on standard output", async () => {
    write({ "compose.yaml": COMPOSE });
    const out = join(dir, "units");
    const r = await runConvert(["compose", "-o", out], dir);
    expect(r.status).toBe(0);
    expect(Object.keys(readTree(out))).toEqual(["p-web.container", "p_default.network"]);
    expect(r.stdout).toBe(`${out}/p-web.container\n${out}/p_default.network\n`);
  });

  it("refuses to overwrite, writing nothing, unless --force", async () => {
    write({ "compose.yaml": COMPOSE, "units/p_default.network": "[Network]\n" });
    const out = join(dir, "units");
    const r = await runConvert(["compose", "-o", out], dir);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${out}/p_default.network exists already`);
    expect(existsSync(join(out, "p-web.container"))).toBe(false);
    expect(readFileSync(join(out, "p_default.network"), "utf8")).toBe("[Network]\n");
    const forced = await runConvert(["compose", "-o", out, "--force"], dir);
    expect(forced.status).toBe(0);
    expect(readFileSync(join(out, "p_default.network"), "utf8")).toContain("NetworkName=p_default");
  });

  it("writes one .quadlets file with --format quadlets", async () => {
    write({ "compose.yaml": COMPOSE });
    const out = join(dir, "units");
    expect((await runConvert(["compose", "-o", out, "--format", "quadlets"], dir)).status).toBe(0);
    const text = readTree(out)["p.quadlets"]!;
    expect(text.startsWith("# FileName=p-web\n")).toBe(true);
    expect(text).toContain("\n---\n# FileName=p_default\n");
  });

  it("with --explain, names the compose line before each key", async () => {
    write({ "compose.yaml": COMPOSE });
    const r = await runConvert(["compose", "--explain"], dir);
    expect(r.stdout).toContain("# compose.yaml:4 (services.web.image)\nImage=docker.io/library/nginx:1\n");
    expect(r.stdout).toContain("# compose.yaml:5 (services.web.ports)\nPublishPort=8080:80\n");
    expect((await runConvert(["compose"], dir)).stdout).not.toContain("# compose.yaml:");
  });

  it("fails, printing nothing, when a unit it made does not verify", async () => {
    write({ "compose.yaml": "name: p\nservices:\n  web:\n    image: i\n    container_name: 'bad name'\n" });
    const r = await runConvert(["compose"], dir);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("bad name.container is not a valid unit name");
  });

  it("explains its usage", async () => {
    expect((await runConvert(["compose", "--bogus"], dir)).status).toBe(2);
    expect((await runConvert(["nothing"], dir)).stderr).toContain('unknown conversion "nothing"');
    const help = await runConvert(["--help"], dir);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("quadlet convert compose");
  });
});

describe("values", () => {
  it("keeps line breaks, quotes, $ and % of environment values and labels as compose gives them to podman", async () => {
    const d = tempDir("values");
    try {
      writeFileSync(join(d, "compose.yaml"), 'name: p\nservices:\n  s:\n    image: i\n    environment:\n      MULTI: |\n        line one\n        line "two"\n      COST: "$$5 or 100%"\n    labels:\n      rule: >\n        Host(`a`) ||\n        Host(`b`)\n');
      const r = await runConvert(["compose"], d);
      expect(r.status).toBe(0);
      const run = runSpecOf(compileUnits(splitQuadlets(r.stdout)).get("p-s.service")!);
      expect(run.env).toEqual({ MULTI: 'line one\nline "two"\n', COST: "$5 or 100%" });
      expect(run.flags).toContainEqual(["--label", "rule=Host(`a`) || Host(`b`)\n"]);
    } finally {
      removeDir(d);
    }
  });
});

describe("health checks", () => {
  it.each([
    ['["CMD", "curl", "-f", "http://x/a b"]', '["curl","-f","http://x/a b"]'],
    ['["CMD", "/healthcheck"]', "CMD /healthcheck"],
    ['["CMD-SHELL", "pg_isready || exit 1"]', "pg_isready || exit 1"],
    ["pg_isready -U app", "pg_isready -U app"],
    ['["NONE"]', "none"],
  ])("test: %s is HealthCmd=%s, the form podman runs without a shell where compose does", async (test, want) => {
    const d = tempDir("health");
    try {
      writeFileSync(join(d, "compose.yaml"), `name: p\nservices:\n  s:\n    image: i\n    healthcheck:\n      test: ${test}\n`);
      const r = await runConvert(["compose"], d);
      expect(r.status).toBe(0);
      expect(runSpecOf(compileUnits(splitQuadlets(r.stdout)).get("p-s.service")!).flags).toContainEqual(["--health-cmd", want]);
    } finally {
      removeDir(d);
    }
  });
});
