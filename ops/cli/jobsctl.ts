import { Command, Option } from 'commander';
import { tokenRoles } from '../../command/http/auth.ts';
import { createTokenService } from '../../command/http/auth.ts';
import { authSecret } from '../authSecret.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { serverRoles, startServer } from '../startServer.ts';
import type { ServerRole } from '../startServer.ts';

const program = new Command('jobsctl').description('Operate the job discovery service').showHelpAfterError();

program
  .command('token')
  .description('print a bearer token the running server accepts (same DATA_DIR or AUTH_SECRET)')
  .addOption(new Option('--role <role>', 'token role').choices(tokenRoles).makeOptionMandatory())
  .requiredOption('--sub <id>', 'subject: the business, worker or operator id')
  .option('--ttl <duration>', 'lifetime like 30d, 12h')
  .option('--json', 'print JSON')
  .action(async (opts: { role: (typeof tokenRoles)[number]; sub: string; ttl?: string; json?: boolean }) => {
    const config = loadConfig();
    const tokens = createTokenService(authSecret(config), opts.ttl ?? config.TOKEN_TTL);
    const token = await tokens.sign({ role: opts.role, sub: opts.sub });
    process.stdout.write(opts.json ? `${JSON.stringify({ role: opts.role, sub: opts.sub, token })}\n` : `${token}\n`);
  });

program
  .command('serve')
  .description('run the service, or one role of it (server mode scales each role out)')
  .addOption(new Option('--role <role>', 'which role this process plays').choices(serverRoles).default('all'))
  .action(async (opts: { role: ServerRole }) => {
    await startServer(loadConfig(), { role: opts.role });
  });

try {
  await program.parseAsync();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(2);
  }
  throw err;
}
