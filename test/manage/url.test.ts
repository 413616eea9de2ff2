/**
 * quadlet install from http URLs, served by a server on 127.0.0.1 started here.
 */
import { createServer, type Server } from "node:http";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FIXTURES, lines, quadlet, sandbox, type Sandbox } from "./support.js";

let server: Server;
let base: string;
const served: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    served.push(req.url ?? "");
    const url = req.url ?? "/";
    if (url === "/download?id=7") {
      res.writeHead(200, { "Content-Disposition": 'attachment; filename="renamed.container"' });
      res.end(readFileSync(join(FIXTURES, "web.container")));
    } else if (url === "/evil") {
      res.writeHead(200, { "Content-Disposition": 'attachment; filename="../../escaped.container"' });
      res.end("[Container]\nImage=alpine\n");
    } else if (url === "/moved/web.container") {
      res.writeHead(302, { Location: "/files/web.container" });
      res.end();
    } else if (url.startsWith("/files/")) {
      const name = url.slice("/files/".length);
      let body: Buffer | undefined;
      try {
        body = readFileSync(join(FIXTURES, name));
      } catch {
        body = undefined;
      }
      if (body) res.writeHead(200).end(body);
      else res.writeHead(404).end("not here");
    } else {
      res.writeHead(404).end("not here");
    }
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((done) => server.close(() => done())));

let box: Sandbox;
beforeEach(() => {
  box = sandbox();
  box.systemd(true);
});
afterEach(() => box.cleanup());

describe("quadlet install URL", () => {
  it("downloads a quadlet file and installs it under the URL's name", async () => {
    const r = await quadlet(box, "install", [`${base}/files/web.container`]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(lines(r.stdout)).toEqual([join(box.installDir, "web.container")]);
    expect(readFileSync(join(box.installDir, "web.container"), "utf8")).toBe(readFileSync(join(FIXTURES, "web.container"), "utf8"));
    expect(served).toContain("/files/web.container");
  });

  it("downloads a .quadlets file and installs each of its units", async () => {
    const r = await quadlet(box, "install", [`${base}/files/webapp.quadlets`]);
    expect(r.status).toBe(0);
    expect(readdirSync(box.installDir).sort()).toEqual(["app-network.network", "app-storage.volume", "web-server.container"]);
  });

  it("uses the name the server gives in Content-Disposition, and follows redirects", async () => {
    expect((await quadlet(box, "install", [`${base}/download?id=7`])).status).toBe(0);
    expect((await quadlet(box, "install", [`${base}/moved/web.container`])).status).toBe(0);
    expect(readdirSync(box.installDir).sort()).toEqual(["renamed.container", "web.container"]);
  });

  it("refuses a server-given name that leaves the install directory", async () => {
    const r = await quadlet(box, "install", [`${base}/evil`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('the file name "../../escaped.container" is refused');
    expect(existsSync(join(box.root, "escaped.container"))).toBe(false);
    expect(existsSync(box.installDir)).toBe(false);
  });

  it("reports an HTTP error without installing anything", async () => {
    const r = await quadlet(box, "install", [`${base}/files/nothing.container`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("the server answered 404");
    expect(box.calls()).toEqual([]);
  });

  it("verifies a downloaded unit like a local one", async () => {
    const r = await quadlet(box, "install", [`${base}/files/broken.container`]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^${base.replace(/[.:/]/g, "\\$&")}/files/broken\\.container:3: error\\[QL\\d+\\]: unsupported key 'Imgae'`, "m"));
  });
});
