import { ConfigError, loadConfig } from './config.ts';
import { startServer } from './startServer.ts';

try {
  await startServer(loadConfig());
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
