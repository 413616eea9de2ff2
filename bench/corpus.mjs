#!/usr/bin/env node
// The benchmark's corpus, made the same way on every machine:
//   node bench/corpus.mjs COUNT DIR
// COUNT units in DIR, in groups of ten: a .network, a .volume, a .pod, an .image, a template
// .container with a drop-in directory and an instance that is a symlink to it, and five
// .container files of realistic size that use the group's pod, volume and network. Every
// phase of the generator has real work: drop-ins, templates, references between units,
// quoting, [Install] links.
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

const network = (group, i) => `[Unit]
Description=Network for group ${group}

[Network]
Subnet=10.${group % 250}.${i % 250}.0/24
Gateway=10.${group % 250}.${i % 250}.1
Label=group=${group}
Options=isolate=true
`;

const volume = () => `[Volume]
Label=backup=daily
User=1000
Group=1000
`;

const pod = (group) => `[Pod]
Network=net${group}.network
PublishPort=${10000 + group}:80
Volume=data${group}.volume:/shared
`;

const image = (group) => `[Image]
Image=registry.example.com/base/app:${group}
AllTags=false
`;

const template = (group) => `[Unit]
Description=Web instance %i of group ${group}

[Container]
Image=base${group}.image
Environment=INSTANCE=%i
Exec=/usr/bin/serve --instance %i
`;

const limits = () => `[Container]
PodmanArgs=--memory 256m --cpus 0.5
`;

const app = (group, i) => `# Application ${i}
[Unit]
Description=Application ${i} \\
  of group ${group}
After=network-online.target
Wants=network-online.target

[Container]
Image=registry.example.com/team${group % 7}/app${i}:1.${i % 13}.0
ContainerName=app${i}
Pod=pod${group}.pod
Environment=APP_ID=${i} "GREETING=hello world" MODE=production
EnvironmentFile=/etc/app${i}/env
Volume=/srv/app${i}/config:/config:ro,Z
Volume=data${group}.volume:/data
Label=com.example.team=team${group % 7}
Label="com.example.description=app number ${i}"
AutoUpdate=registry
HealthCmd=/usr/bin/curl -fsS http://localhost:8080/health
HealthInterval=30s
ReadOnly=true
NoNewPrivileges=true
DropCapability=ALL
AddCapability=NET_BIND_SERVICE
Secret=app${i}-token,type=env,target=TOKEN
Exec=--listen :8080 --log-format json
PodmanArgs=--pids-limit 512

[Service]
Restart=on-failure
TimeoutStartSec=900

[Install]
WantedBy=multi-user.target default.target
`;

for (let i = 0; i < count; i++) {
  const group = Math.floor(i / 10);
  const slot = i % 10;
  if (slot === 0) write(`net${group}.network`, network(group, i));
  else if (slot === 1) write(`data${group}.volume`, volume());
  else if (slot === 2) write(`pod${group}.pod`, pod(group));
  else if (slot === 3) write(`base${group}.image`, image(group));
  else if (slot === 4) {
    write(`web${group}@.container`, template(group));
    mkdirSync(join(dir, `web${group}@.container.d`), { recursive: true });
    write(`web${group}@.container.d/10-limits.conf`, limits());
    symlinkSync(`web${group}@.container`, join(dir, `web${group}@blue.container`));
  } else write(`app${i}.container`, app(group, i));
}
