import { setFlagsFromString } from 'node:v8';

/**
 * The heap growth a rebuild process allows V8 between full collections, in percent of what the last one kept (0: V8's
 * own choice). A rebuild keeps about 50 MB live, yet V8 grows the heap up to four times that before a full collection
 * when memory is plentiful, so the peak RSS would follow the machine's memory rather than the work (see the README's
 * Performance section for the figures). 30 rather than 50 since session 11: all projections at 1M events peaked at
 * 290–292 MB against 299–302 MB, for about 4 % more CPU (three interleaved pairs).
 */
export const DEFAULT_REBUILD_HEAP_GROWTH_PERCENT = 30;

/**
 * Caps the heap's growth between full collections for the rest of this process. V8 reads the flag at every collection,
 * so it takes effect when set at run time; only a process that does nothing but rebuild may set it (the service shares
 * its heap with requests, whose latency more frequent collections would cost).
 */
export function capRebuildHeapGrowth(percent: number): void {
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
