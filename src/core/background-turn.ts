/**
 * Long work on the event loop (projection batches, imports) takes turns: `await backgroundTurn()` resolves in a later
 * iteration of the loop, and at most one waiter is let through per iteration, with the loop's I/O and timers in
 * between. Plain setImmediate would let every waiter run back to back in the same check phase, adding their
 * slices up into one long stall.
 */
const waiting: Array<() => void> = [];
let scheduled = false;

export function backgroundTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (!scheduled) grantNext();
  });
}

function grantNext(): void {
  scheduled = true;
  setImmediate(() => {
    const next = waiting.shift();
    if (!next) {
      scheduled = false;
      return;
    }
    next();
    // Scheduled from within the check phase, so it runs in the next iteration, after the poll for I/O.
    grantNext();
  });
}
