// Preload for entry points whose imports load the database clients before any
// code runs (jobsctl): `tsx --import ./ops/telemetry/register.ts ops/cli/jobsctl.ts serve`.
// Starts telemetry from the environment; startServer claims it and stops it.
import { ConfigError, loadConfig } from '../config.ts';
import { hookModuleLoading } from './moduleHooks.ts';
import { startPreloadedTelemetry, telemetryOptionsFrom } from './telemetry.ts';

try {
  const options = telemetryOptionsFrom(loadConfig());
  if (options.traces !== 'none') hookModuleLoading();
  startPreloadedTelemetry(options);
} catch (err) {
  // A bad configuration is reported by the command itself, with every problem.
  if (!(err instanceof ConfigError)) throw err;
}
