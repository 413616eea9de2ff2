/**
 * The intermediate model between a quadlet file and its service: the podman command
 * line being built, and the generated service itself.
 */
import { joinQuoted } from "../text/quote.js";
import type { Origin, UnitFile } from "../parser/unitfile.js";
import type { Code } from "../analysis/codes.js";
import type { Edge } from "../analysis/analysis.js";

/**
 * A podman invocation: `podman [global args] subcommand [args]`. Methods name the
 * conventions podman's quadlet follows, so converters read as what they mean.
 */
export class PodmanCommand {
  /** Arguments between `podman` and the subcommand (`--module`, GlobalArgs=). */
  readonly globalArgs: string[] = [];
  readonly args: string[] = [];

  constructor(readonly podman: string, readonly subcommand: readonly string[]) {}

  add(...args: string[]): this {
    return this.addAll(args);
  }

  /**
   * Appends a list of any length. (Spreading a user's list into `add` would overflow the
   * call stack for a value of some hundred thousand words.)
   */
  addAll(args: readonly string[]): this {
    for (let i = 0; i < args.length; i++) this.args.push(args[i]!);
    return this;
  }

  addGlobal(...args: string[]): this {
    return this.addGlobalAll(args);
  }

  addGlobalAll(args: readonly string[]): this {
    for (let i = 0; i < args.length; i++) this.globalArgs.push(args[i]!);
    return this;
  }

  /** `--flag` when true, `--flag=false` when false. */
  addBool(flag: string, value: boolean): this {
    return this.add(value ? flag : `${flag}=false`);
  }

  /** `flag k=v` for every entry (`flag k` when it has no value), sorted by key so output is deterministic. */
  addKeyValues(flag: string, values: ReadonlyMap<string, string | undefined>): this {
    // Most maps are empty: no key list made for them (a run asks this five times a unit).
    if (values.size === 0) return this;
    const keys = Array.from(values.keys()).sort();
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      const v = values.get(k);
      this.args.push(flag, v === undefined ? k : `${k}=${v}`);
    }
    return this;
  }

  addEnv(env: ReadonlyMap<string, string | undefined>): this {
    return this.addKeyValues("--env", env);
  }

  addLabels(labels: ReadonlyMap<string, string | undefined>): this {
    return this.addKeyValues("--label", labels);
  }

  addAnnotations(annotations: ReadonlyMap<string, string | undefined>): this {
    return this.addKeyValues("--annotation", annotations);
  }

  /** The command as an Exec= value, quoted so systemd splits it back into the same words. */
  toExecLine(): string {
    const words = [this.podman];
    pushAll(words, this.globalArgs);
    pushAll(words, this.subcommand);
    pushAll(words, this.args);
    return joinQuoted(words);
  }
}

function pushAll(out: string[], words: readonly string[]): void {
  for (let i = 0; i < words.length; i++) out.push(words[i]!);
}

/** What a converter produces for one quadlet file. */
export interface GeneratedService {
  /** The `.service` unit, ready to print. Its filename is the service file's name. */
  unit: UnitFile;
  /** Non-fatal problems, each a full sentence. */
  warnings: string[];
  /** The references to other units resolved while converting; each made the dependency lines it names. */
  edges?: readonly Edge[];
}

/** A problem that stops a unit from being generated. */
export class ConvertError extends Error {
  override name = "ConvertError";
  /** @param code the diagnostic code (see analysis/codes.ts); classified from the message when absent */
  constructor(message: string, readonly origin?: Origin, readonly key?: string, readonly code?: Code) {
    super(message);
  }
}
