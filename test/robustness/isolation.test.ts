/**
 * One broken unit never stops the others: every valid unit is written, the exit status
 * is 1, and every broken file is named (with line and key) in the same run.
 */
import { cpSync, existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { containerType } from "../../src/generator/container.js";
import { compileAll } from "../../src/generator/index.js";
import { parseUnitText } from "../../src/parser/parse.js";
import { runOn, snapshot, tempDir, writeTree } from "./support.js";

const FIXTURES = join(__dirname, "../../fixtures/robustness");

/** The fixtures, plus the broken files that are easier to make here than to keep in git. */
function unitTree(): string {
  const dir = tempDir("isolation-units");
  cpSync(FIXTURES, dir, { recursive: true });
  writeTree(dir, {
    "nul.container": new Uint8Array([...Buffer.from("[Container]\nImage=a\n"), 0, ...Buffer.from("\n")]),
    "latin1.container": new Uint8Array([...Buffer.from("[Container]\nImage=a\nLabel=caf"), 0xe9, 0x0a]),
    "empty.volume": "",
    "only-comments.network": "# nothing but a comment\n\n",
    "my web.container": "[Container]\nImage=registry.example.com/a:1\n",
    "caf\u00e9.container": "[Container]\nImage=registry.example.com/a:1\n",
  });
  return dir;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a broken unit never stops the others", () => {
  it("writes every valid unit and names every broken file, with line and key, in one run", () => {
    const out = tempDir("isolation-out");
    const { status, log } = runOn([unitTree()], out);
    expect(status).toBe(1);

    const written = readdirSync(out).filter((n) => n.endsWith(".service")).sort();
    // Empty files are valid units with every default, as in podman.
    expect(written).toEqual(["backend-network.service", "cache-volume.service", "empty-volume.service", "frontend.service", "injection.service", "only-comments-network.service", "web.service", "worker@.service"]);

    const errors = log.errors.join("\n");
    const expected: RegExp[] = [
      /nul\.container:3: the file contains a NUL byte/,
      /latin1\.container:3: the file is not valid UTF-8/,
      /"my web\.container".*not .*valid unit name/,
      /"café\.container".*not .*valid unit name/,
      /bad-line\.container:3: "this line has no equals sign" is not a \[Section\] header/,
      /unsupported key 'Imagee' .*unknown-keys\.container:3/,
      /unsupported key 'PublishPorts' .*unknown-keys\.container:5/,
      /ServiceName=my app .*not a valid unit name.*bad-servicename\.container:3/,
      /escaping-alias\.container:5: Alias=\.\.\/\.\.\/etc\/systemd\/system\/evil\.service would leave the generator directory/,
      /continuation-eof\.container:5: the value of Description= ends in a backslash/,
    ];
    for (const re of expected) expect(errors).toMatch(re);
    // One message per problem: nothing else failed.
    expect(log.errors).toHaveLength(expected.length);
  });

  it("reports an unexpected exception in a converter as an internal error of that file only", () => {
    const original = containerType.convert;
    vi.spyOn(containerType, "convert").mockImplementation((ctx) => {
      if (ctx.info.unit.filename === "web.container") throw new TypeError("cannot read properties of undefined");
      return original(ctx);
    });
    const out = tempDir("internal-out");
    const units = tempDir("internal-units");
    writeTree(units, {
      "web.container": "[Container]\nImage=registry.example.com/web:1\n",
      "db.container": "[Container]\nImage=registry.example.com/db:1\n",
      "data.volume": "[Volume]\n",
    });
    const { status, log } = runOn([units], out);
    expect(status).toBe(1);
    expect(log.errors).toEqual([expect.stringMatching(/converting "web\.container": internal error while converting .*web\.container: TypeError: cannot read properties of undefined/)]);
    expect(existsSync(join(out, "db.service"))).toBe(true);
    expect(existsSync(join(out, "data-volume.service"))).toBe(true);
    expect(existsSync(join(out, "web.service"))).toBe(false);
  });

  it("survives a converter that throws something that is not even an Error", () => {
    vi.spyOn(containerType, "convert").mockImplementation(() => {
      throw "a string";
    });
    const results = compileAll([parseUnitText("[Container]\nImage=x\n", "a.container", "/u/a.container")], { userMode: false, podman: "/usr/bin/podman" });
    expect(results).toEqual([expect.objectContaining({ ok: false, errors: [expect.stringMatching(/internal error .*\/u\/a\.container: a string/)] })]);
  });

  it("refuses a link that would replace another unit's file; of two units of one name, writes only the last", () => {
    const units = tempDir("collide-units");
    writeTree(units, {
      "a.container": "[Container]\nImage=registry.example.com/a:1\n",
      "b.container": "[Container]\nImage=registry.example.com/b:1\nServiceName=a\n",
      "c.container": "[Container]\nImage=registry.example.com/c:1\n[Install]\nAlias=a.service\n",
      "d.container": "[Container]\nImage=registry.example.com/d:1\n[Install]\nAlias=d.service\n",
      "e.container": "[Container]\nImage=registry.example.com/e:1\n[Install]\nAlias=shared.service\n",
      "f.container": "[Container]\nImage=registry.example.com/f:1\n[Install]\nAlias=shared.service\n",
    });
    const out = tempDir("collide-out");
    const { status, log } = runOn([units], out);
    expect(status).toBe(1);
    const errors = log.errors.join("\n");
    // Two files of one service name: the last one wins, as in podman, with a warning.
    expect(log.infos).toContainEqual(expect.stringMatching(/converting "a\.container": not written, because .*b\.container also generates a\.service/));
    expect(errors).toMatch(/converting "c\.container": the \[Install\] link a\.service would replace the a\.service that .*b\.container makes/);
    expect(errors).toMatch(/converting "d\.container": the \[Install\] section links d\.service to itself/);
    expect(errors).toMatch(/converting "f\.container": the \[Install\] link shared\.service would replace/);
    expect(log.errors).toHaveLength(3);
    const files = snapshot(out);
    expect(files.get("a.service")).toMatchObject({ kind: "file", data: expect.stringContaining("registry.example.com/b:1") });
    expect(files.get("shared.service")).toEqual({ kind: "link", target: "e.service" });
    expect([...files.keys()].sort()).toEqual(["a.service", "e.service", "shared.service"]);
  });

  it("of two units of one name, writes the earlier one when the last cannot be compiled", () => {
    const units = tempDir("collide-fail-units");
    writeTree(units, {
      "a.container": "[Container]\nImage=registry.example.com/a:1\n",
      // Sorted after a.container, claims a.service, and fails (no Image=).
      "b.container": "[Container]\nServiceName=a\n",
      "c.container": "[Container]\nImage=registry.example.com/c:1\n",
    });
    const out = tempDir("collide-fail-out");
    const { status, log } = runOn([units], out);
    expect(status).toBe(1);
    expect(log.errors).toEqual([expect.stringMatching(/converting "b\.container": no Image or Rootfs key specified/)]);
    const files = snapshot(out);
    expect(files.get("a.service")).toMatchObject({ kind: "file", data: expect.stringContaining("registry.example.com/a:1") });
    expect([...files.keys()].sort()).toEqual(["a.service", "c.service"]);
  });

  it("refuses a link named after the service of a file that fails to compile", () => {
    const units = tempDir("link-to-broken-units");
    writeTree(units, {
      "a.container": "[Container]\nImage=registry.example.com/a:1\n[Install]\nAlias=b.service\n",
      // Fails (no Image=): its service is not written in this run, but it is still b's name.
      "b.container": "[Container]\n",
    });
    const out = tempDir("link-to-broken-out");
    const { status, log } = runOn([units], out);
    expect(status).toBe(1);
    expect(log.errors).toEqual([
      expect.stringMatching(/converting "a\.container": the \[Install\] link b\.service would replace the b\.service that .*b\.container makes/),
      expect.stringMatching(/converting "b\.container": no Image or Rootfs key specified/),
    ]);
    expect([...snapshot(out).keys()]).toEqual([]);
  });

  it("reads a file holding a U+FFFD character, or starting with a byte-order mark, as the text it is", () => {
    const units = tempDir("replacement-units");
    writeTree(units, {
      // Valid UTF-8 for U+FFFD: the quick decode cannot tell it from a bad byte, the check can.
      "fffd.container": "[Container]\nImage=registry.example.com/a:1\nLabel=mark=\ufffd\n",
      "bom.container": "\ufeff[Container]\nImage=registry.example.com/b:1\n",
    });
    const out = tempDir("replacement-out");
    const { status, log } = runOn([units], out);
    expect(log.errors).toEqual([]);
    expect(status).toBe(0);
    expect(readFileSync(join(out, "fffd.service"), "utf8")).toContain("--label mark=\ufffd");
    expect(readFileSync(join(out, "bom.service"), "utf8")).toMatch(/^# Automatically generated by quadlet from .*\n#\n\[X-Container\]\nImage=registry\.example\.com\/b:1\n/);
  });
});
