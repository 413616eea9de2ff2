/**
 * A deterministic corpus of unit files for the tests that need many units: networks,
 * volumes, pods and containers that refer to each other, templates, drop-ins and [Install]
 * sections, so that a run does the work a real boot does, links included.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Environment lines in each container: they make each unit, and each write, larger. */
const ENV_LINES = 40;

function network(group: number): string {
  return `[Unit]\nDescription=Network of group ${group}\n\n[Network]\nSubnet=10.${group % 250}.0.0/24\nLabel=group=${group}\n`;
}

function volume(group: number): string {
  return `[Volume]\nLabel=backup=daily\nLabel=group=${group}\n`;
}

function pod(group: number): string {
  return `[Pod]\nNetwork=net${group}.network\nPublishPort=${10000 + group}:80\nVolume=data${group}.volume:/data\n\n[Install]\nWantedBy=multi-user.target\n`;
}

function container(group: number, i: number, inPod: boolean): string {
  const env = Array.from({ length: ENV_LINES }, (_, n) => `Environment=SETTING_${n}=value-${i}-${n}`).join("\n");
  const placement = inPod ? `Pod=pod${group}.pod` : `Network=net${group}.network\nPublishPort=${20000 + i}:8080`;
  return `[Unit]
Description=Application ${i} of group ${group}
After=data${group}-volume.service

[Container]
Image=registry.example.com/app/service-${i % 7}:1.${i % 13}
${placement}
Volume=data${group}.volume:/var/lib/app:Z
Exec=/usr/bin/app --instance ${i} --group ${group}
${env}
Label=app=service-${i}
HealthCmd=/usr/bin/app --check
HealthInterval=30s

[Service]
Restart=on-failure
TimeoutStartSec=300

[Install]
WantedBy=default.target
Alias=app-alias-${i}.service
`;
}

function template(group: number): string {
  return `[Container]\nImage=registry.example.com/worker:1\nExec=/usr/bin/worker --shard %i\nNetwork=net${group}.network\n\n[Install]\nWantedBy=multi-user.target\nDefaultInstance=${group}\n`;
}

/** Writes `count` units into `dir` (created if needed): one group of each kind every ten. */
export function writeCorpus(dir: string, count: number): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const group = Math.floor(i / 10);
    const slot = i % 10;
    if (slot === 0) writeFileSync(join(dir, `net${group}.network`), network(group));
    else if (slot === 1) writeFileSync(join(dir, `data${group}.volume`), volume(group));
    else if (slot === 2) writeFileSync(join(dir, `pod${group}.pod`), pod(group));
    else if (slot === 3) writeFileSync(join(dir, `worker${group}@.container`), template(group));
    else writeFileSync(join(dir, `app${i}.container`), container(group, i, slot >= 7));
  }
  // A drop-in shared by every container, as a site-wide policy would be.
  mkdirSync(join(dir, "container.d"), { recursive: true });
  writeFileSync(join(dir, "container.d", "50-policy.conf"), "[Container]\nLabel=managed-by=quadlet\n\n[Service]\nRestartSec=5\n");
}
