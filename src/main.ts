/**
 * The executable's entry point: the real process, file system and log destinations.
 */
import { closeSync, writeSync } from "node:fs";
import { checkGeneratorDirs, parseArgs, runGenerator, UsageError, userModeFromName } from "./cli.js";
import { subcommandNamed } from "./commands/index.js";
import type { Subcommand } from "./commands/context.js";
import { hostFs } from "./fsys.js";
import { openKernelLog } from "./kmsg.js";
import type { Logger } from "./log.js";
import { tuneForUnits } from "./tune.js";

declare const QUADLET_VERSION: string;

/** Logs to /dev/kmsg as `quadlet-generator[PID]: …`, or to stderr when that is not possible. */
class ProcessLogger implements Logger {
  private kmsg: number | undefined;
  /** stderr lines not yet written: one write per batch, not per line (a dry run logs every file). */
  private pending: string[] = [];

  constructor(useKmsg: boolean, private readonly verbose: boolean) {
    if (useKmsg) this.kmsg = openKernelLog();
  }

  private write(message: string): void {
    const line = `quadlet-generator[${process.pid}]: ${message}`;
    if (this.kmsg !== undefined) {
      try {
        writeSync(this.kmsg, line + "\n");
        return;
      } catch {
        // fall back to stderr
      }
    }
    this.pending.push(line);
    if (this.pending.length >= 256) this.flush();
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join("\n") + "\n";
    this.pending = [];
    try {
      writeAllSync(2, text);
    } catch {
      // stderr is gone: nowhere left to report to
    }
  }

  debug(message: string): void {
    if (this.verbose) this.write(message);
  }
  info(message: string): void {
    this.write(message);
  }
  error(message: string): void {
    this.write(message);
  }
  close(): void {
    this.flush();
    if (this.kmsg !== undefined) closeSync(this.kmsg);
  }
}

/**
 * Whether the name the program was started as asks for user mode. Under `node`, that name is
 * the script's path (argv[1]; a symlink to the script keeps its own name there) and argv0 is
 * node's. In the packaged executable, argv[1] is the resolved executable, and argv0, as
 * systemd or the shell passed it, carries a symlink's name such as quadlet-user-generator.
 * Either is asked: that needs no node:sea to tell the two apart, which would cost a module
 * load at every start.
 */
function startedAsUser(): boolean {
  return userModeFromName(process.argv0) || userModeFromName(process.argv[1] ?? "");
}

function main(): number {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (!opts.version && !opts.help) checkGeneratorDirs(opts, hostFs);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`quadlet: ${err.message}\n`);
    return 2;
  }
  if (opts.version) {
    process.stdout.write(`quadlet ${QUADLET_VERSION}\n`);
    return 0;
  }
  if (opts.help) {
    // Loaded only when asked for: keeps the generator's start-up lean.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { helpText } = require("./help.js") as typeof import("./help.js");
    process.stdout.write(helpText(QUADLET_VERSION));
    return 0;
  }
  if (startedAsUser()) opts.user = true;
  const log = new ProcessLogger(!opts.noKmsgLog && !opts.dryRun, opts.verbose || opts.dryRun);
  // Dry-run text goes out in blocks (STDOUT_BLOCK): one write per service would be a
  // thousand writes, and one at the end would hold every service's text until then.
  let out: string[] = [];
  let buffered = 0;
  const flushOut = (): void => {
    if (out.length) writeAllSync(1, out.join(""));
    out = [];
    buffered = 0;
  };
  try {
    const status = runGenerator(opts, {
      fs: hostFs,
      env: process.env,
      uid: process.getuid?.() ?? 0,
      log,
      beforeConverting: tuneForUnits,
      stdout: (text) => {
        out.push(text);
        buffered += text.length;
        if (buffered >= STDOUT_BLOCK) flushOut();
      },
    });
    flushOut();
    return status;
  } finally {
    log.close();
  }
}

/**
 * How much dry-run text (in UTF-16 units) is gathered before it is written. Under 128 KiB,
 * the joined text is an ordinary young object and its bytes an ordinary malloc, both in pages
 * already mapped; 256 KiB blocks took fresh pages for each and gave them back after each
 * write (245 more page faults and about 2% more wall time in a 1,000-unit dry run).
 */
const STDOUT_BLOCK = 60 * 1024;

/** Writes all of `text`, however the descriptor splits it (a pipe takes 64 KiB at a time). */
function writeAllSync(fd: number, text: string): void {
  let data = Buffer.from(text);
  while (data.length > 0) {
    try {
      data = data.subarray(writeSync(fd, data));
    } catch (err) {
      // A non-blocking pipe that is full: wait for the reader and try again.
      if ((err as NodeJS.ErrnoException).code !== "EAGAIN") throw err;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
    }
  }
}

/** Runs `quadlet SUBCOMMAND …`; an unexpected failure is one line on stderr and status 1. */
function runSubcommand(command: Subcommand, args: readonly string[]): void {
  const ctx = {
    fs: hostFs,
    env: process.env,
    uid: process.getuid?.() ?? 0,
    cwd: process.cwd(),
    stdout: (text: string) => writeAllSync(1, text),
    stderr: (text: string) => writeAllSync(2, text),
    beforeConverting: tuneForUnits,
  };
  const fail = (err: unknown): void => {
    const detail = err instanceof Error ? err.message : String(err);
    process.stderr.write(`quadlet ${process.argv[2]}: internal error: ${detail}\n`);
    process.exitCode = 1;
  };
  try {
    Promise.resolve(command(args, ctx)).then((status) => {
      process.exitCode = status;
    }, fail);
  } catch (err) {
    fail(err);
  }
}

const subcommand = subcommandNamed(process.argv[2]);
if (subcommand) runSubcommand(subcommand, process.argv.slice(3));
else process.exitCode = main();
