import { setImmediate } from 'node:timers/promises';

/**
 * A pause for long loops on the serving thread: awaited once per item, it lets
 * queued work (queries) run whenever `budgetMs` of work has gone by since the
 * last pause. Embedded stores answer synchronously, so awaiting them alone
 * never gives the event loop a turn.
 */
export function yieldEvery(budgetMs = 10): () => Promise<void> {
  let since = performance.now();
  return async () => {
    if (performance.now() - since < budgetMs) return;
    await setImmediate();
    since = performance.now();
  };
}
