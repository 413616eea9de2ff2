/**
 * Prints a {@link UnitFile} as unit-file text: each group's leading comments, its
 * `[Name]` header, then its lines; one blank line between groups.
 */
import type { UnitFile } from "../parser/unitfile.js";

export function renderUnit(unit: UnitFile): string {
  // Lines collected and joined once: a boot renders every service, and appending to a
  // string piece by piece allocates a rope node per piece.
  const lines: string[] = [];
  const groups = unit.groups;
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i]!;
    if (i > 0) lines.push("");
    for (const c of g.comments) lines.push(c.value);
    lines.push(`[${g.name}]`);
    for (const l of g.lines) lines.push(l.isComment ? l.value : `${l.key}=${l.value}`);
  }
  lines.push("");
  return lines.join("\n");
}
