/**
 * The kernel log, where a generator's messages reach the journal at boot.
 */
import { constants, openSync } from "node:fs";

export const KMSG_PATH = "/dev/kmsg";

/**
 * Opens the kernel log for writing, or returns undefined when it cannot be opened. Never
 * creates it: where there is no /dev/kmsg (a container), opening with O_CREAT would make a
 * regular file there, and every message would go into it instead of to stderr.
 */
export function openKernelLog(path: string = KMSG_PATH): number | undefined {
  try {
    return openSync(path, constants.O_WRONLY);
  } catch {
    return undefined;
  }
}
