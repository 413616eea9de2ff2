/**
 * Where quadlet's messages go. The CLI writes them to /dev/kmsg or stderr; tests collect them.
 */
export interface Logger {
  /** Shown only with -v / -dryrun. */
  debug(message: string): void;
  /** Always shown. */
  info(message: string): void;
  /** A problem that stops one unit from being generated; also sets the exit status. */
  error(message: string): void;
}

/** A logger that keeps every message, for tests and for the in-process API. */
export class CollectingLogger implements Logger {
  readonly debugs: string[] = [];
  readonly infos: string[] = [];
  readonly errors: string[] = [];
  debug(message: string): void {
    this.debugs.push(message);
  }
  info(message: string): void {
    this.infos.push(message);
  }
  error(message: string): void {
    this.errors.push(message);
  }
}
