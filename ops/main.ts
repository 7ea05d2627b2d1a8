import { ConfigError, loadConfig } from './config.ts';
import { hookModuleLoading } from './telemetry/moduleHooks.ts';
import { startTelemetry, telemetryOptionsFrom } from './telemetry/telemetry.ts';

try {
  const config = loadConfig();
  const options = telemetryOptionsFrom(config);
  if (options.traces !== 'none') hookModuleLoading();
  const telemetry = startTelemetry(options);
  // Imported only now, so that pg, ioredis and node:http load already patched.
  const { startServer } = await import('./startServer.ts');
  await startServer(config, { telemetry });
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
