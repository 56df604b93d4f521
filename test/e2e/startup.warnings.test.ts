import pino from 'pino';
import { startHarness, type Harness } from './harness';

/** Production mode (a BOT_TOKEN) with a default that is fine only for the sandbox: the operator is told at start-up. */
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('warns at start-up in production when ADMIN_TOKEN is not set, and names no secret', async () => {
  const lines: string[] = [];
  h = await startHarness({ ADMIN_TOKEN: '' }, { log: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }) });
  const warnings = lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40 && l.msg.startsWith('production:'));
  expect(warnings.map((w) => w.msg)).toEqual([expect.stringMatching(/^production: ADMIN_TOKEN is not set: the admin API \(\/api\) refuses every request/)]);
  expect(lines.join('\n')).not.toContain(h.config.telegram.token);
  expect(lines.some((l) => l.includes('/sandbox'))).toBe(false);
});
