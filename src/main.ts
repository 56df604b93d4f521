import { ConfigError, loadConfig, loadDotEnv } from './config';
import { startService } from './service';

/**
 * Entry point: `npm start` (compiled) or `npm run dev`. Reads the configuration, starts the
 * service, and stops it gracefully on SIGTERM/SIGINT.
 */
async function main(): Promise<void> {
  let config;
  try {
    loadDotEnv();
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const service = await startService(config);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      service.log.info({ signal }, 'signal received');
      const force = setTimeout(() => process.exit(1), 25_000);
      force.unref();
      service.stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
