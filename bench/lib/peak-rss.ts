import { readFileSync, writeFileSync } from 'node:fs';

/** The kernel's peak resident set (Linux `VmHWM`), in bytes; undefined where /proc is unavailable. */
export function readPeakRss(): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Resets the peak-RSS counter (writing 5 to /proc/self/clear_refs) so that VmHWM measures what follows. */
export function resetPeakRss(): boolean {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}
