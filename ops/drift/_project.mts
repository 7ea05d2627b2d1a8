// Temporary measurement helper (deleted after use): projects DATA_DIR's log into its read models.
import { loadConfig } from '../config.ts';
import { openReadSide } from '../readSide.ts';
import { openRuntime } from '../runtime.ts';
const config = loadConfig();
const runtime = await openRuntime(config);
const t = performance.now();
const reads = await openReadSide(config, runtime.store, { runProjector: true });
await reads.catchUp();
console.log(`projected in ${((performance.now() - t) / 1000).toFixed(1)} s`);
await reads.close();
await runtime.close();
