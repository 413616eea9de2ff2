#!/usr/bin/env node
// A small deterministic corpus of quadlet units, used by run.mjs when the shared corpus
// generator is not available:
//   node bench/corpus.mjs COUNT DIR
// Mostly .container files of realistic size, with a .network, .volume and a template
// (with a drop-in and an instance link) in every group of ten.
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [countArg, dir] = process.argv.slice(2);
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || !dir) {
  console.error("usage: corpus.mjs COUNT DIR");
  process.exit(2);
}
mkdirSync(dir, { recursive: true });

const write = (name, text) => writeFileSync(join(dir, name), text);

function container(i, group) {
  return `# Application ${i}
[Unit]
Description=Application ${i} of group ${group}
After=network-online.target

[Container]
Image=registry.example.com/team${group % 7}/app${i}:1.${i % 13}.0
ContainerName=app${i}
Network=net${group}.network
Environment=APP_ID=${i} "GREETING=hello world"
Volume=data${group}.volume:/data
Label=com.example.team=team${group % 7}
HealthCmd=/usr/bin/curl -fsS http://localhost:8080/health
NoNewPrivileges=true
Exec=--listen :8080

[Service]
Restart=on-failure

[Install]
WantedBy=multi-user.target
`;
}

for (let i = 0; i < count; i++) {
  const group = Math.floor(i / 10);
  switch (i % 10) {
    case 0:
      write(`net${group}.network`, `[Network]\nSubnet=10.${group % 250}.${i % 250}.0/24\nLabel=group=${group}\n`);
      break;
    case 1:
      write(`data${group}.volume`, `[Volume]\nLabel=backup=daily\n`);
      break;
    case 2:
      write(`web${group}@.container`, `[Container]\nImage=registry.example.com/web:${group}\nExec=/usr/bin/serve --instance %i\n`);
      mkdirSync(join(dir, `web${group}@.container.d`), { recursive: true });
      write(`web${group}@.container.d/10-limits.conf`, `[Container]\nPodmanArgs=--memory 256m\n`);
      symlinkSync(`web${group}@.container`, join(dir, `web${group}@blue.container`));
      break;
    default:
      write(`app${i}.container`, container(i, group));
  }
}
