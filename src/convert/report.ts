/**
 * What a conversion says about its input: every field it could not map, or mapped only
 * through `PodmanArgs=`, and every error, each naming the compose file, line and field.
 */
import type { Diagnostic } from "../analysis/diagnostic.js";

/** Where a value was read: a compose file and 1-based line (0 when not known). */
export interface Where {
  readonly file: string;
  readonly line: number;
}

/**
 * The codes convert gives its diagnostics. They are listed in quadlet-convert(1).
 * QL1001: a field or flag with no quadlet key, left out of the output.
 * QL1002: a field or flag with no quadlet key, passed to podman with `PodmanArgs=`.
 * QL1003: the input is wrong (a bad value, an unknown reference): nothing is written.
 * QL1004: something to do by hand (a secret to create, a variable that is not set).
 */
export const CODE = { dropped: "QL1001", podmanArgs: "QL1002", invalid: "QL1003", todo: "QL1004" } as const;

export class Report {
  readonly diagnostics: Diagnostic[] = [];

  private add(severity: Diagnostic["severity"], code: string, where: Where | undefined, field: string | undefined, message: string, hint?: string): void {
    this.diagnostics.push({
      code,
      severity,
      file: where?.file ?? "",
      ...(where && where.line > 0 ? { line: where.line } : {}),
      ...(field !== undefined ? { key: field } : {}),
      message: field !== undefined ? `${field}: ${message}` : message,
      ...(hint !== undefined ? { hint } : {}),
    });
  }

  /** A field with no quadlet key that is not in the output. */
  dropped(where: Where | undefined, field: string, why: string): void {
    this.add("warning", CODE.dropped, where, field, `${why}; it is left out`);
  }

  /** A field passed to podman as `PodmanArgs=` because no key says it. */
  podmanArgs(where: Where | undefined, field: string, args: readonly string[]): void {
    this.add("warning", CODE.podmanArgs, where, field, `no quadlet key; passed as PodmanArgs=${args.join(" ")}`);
  }

  error(where: Where | undefined, field: string | undefined, message: string, hint?: string): void {
    this.add("error", CODE.invalid, where, field, message, hint);
  }

  todo(where: Where | undefined, field: string | undefined, message: string): void {
    this.add("warning", CODE.todo, where, field, message);
  }

  hasErrors(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}

/** Thrown where the input cannot be read at all (a missing file, YAML that does not parse). */
export class ConvertFailure extends Error {}
