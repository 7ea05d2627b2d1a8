// ESM imports bypass require(), which is what the pg, ioredis and http
// instrumentations patch through; import-in-the-middle's loader hook lets them
// see `import pg from 'pg'` too. It must run before those modules load, and only
// for them: wrapping every module would slow start-up and risks export quirks.
import { register } from 'node:module';

const INSTRUMENTED = ['pg', 'ioredis', 'http', 'https', 'node:http', 'node:https'];
let registered = false;

export function hookModuleLoading(): void {
  if (registered) return;
  registered = true;
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: INSTRUMENTED } });
}
