/**
 * The deployment's settings cannot drift from the code: `.env.example` (copied to `.env` for
 * `docker compose up`) names every variable `src/config.schema.ts` defines, nothing it does not, and is
 * itself a configuration the service accepts.
 *
 * The shape of docker-compose.yml (who waits for whom, volumes, restart policies) is checked by
 * `scripts/check-compose.sh` with the compose validator: parsing YAML here would need the `yaml`
 * package, which this project does not depend on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { schema } from '../../src/config.schema';

const ROOT = path.join(__dirname, '..', '..');
const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The names `loadConfig` reads from the parsed schema (`e.NAME`, `env.NAME`). */
function namesUsed(source: string): string[] {
  return [...new Set([...source.matchAll(/\b(?:e|env)\.([A-Z][A-Z0-9_]*)\b/g)].map((m) => m[1] as string))];
}

interface EnvLine {
  name: string;
  value: string;
  /** The line above, trimmed. */
  above: string;
}

/** Reads a .env file the way both Compose v1 and v2 agree on: `NAME=value` lines and `#` comments. */
function parseEnvFile(text: string): { lines: EnvLine[]; malformed: string[] } {
  const lines: EnvLine[] = [];
  const malformed: string[] = [];
  const all = text.split('\n');
  all.forEach((line, i) => {
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (m === null) malformed.push(line);
    else lines.push({ name: m[1] as string, value: m[2] as string, above: (all[i - 1] ?? '').trim() });
  });
  return { lines, malformed };
}

const configSource = read('src/config.ts');
/** The variable names of the zod schema (src/config.schema.ts), every section of it. */
const keys = Object.keys(schema.shape);
const example = parseEnvFile(read('.env.example'));
const exampleNames = example.lines.map((l) => l.name);
/** Variables docker-compose.yml interpolates from .env: `${NAME}`, `${NAME:?…}`, `${NAME:-…}`; `$${…}` is a literal `$`. */
const composeVariables = [...new Set([...read('docker-compose.yml').matchAll(/(?<!\$)\$\{([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] as string))];

describe('.env.example, from which an operator fills in .env for docker compose', () => {
  it('finds the schema, with every name loadConfig uses', () => {
    expect(keys).toEqual(expect.arrayContaining(['BOT_TOKEN', 'WEBHOOK_SECRET', 'OPERATOR_CHAT_ID', 'DATABASE_URL', 'REDIS_URL']));
    expect(namesUsed(configSource).filter((name) => !keys.includes(name))).toEqual([]);
  });

  it('names every variable the service reads', () => {
    expect(keys.filter((name) => !exampleNames.includes(name))).toEqual([]);
  });

  it('names each variable once, and nothing that neither the service nor docker-compose.yml reads', () => {
    expect(exampleNames.filter((name, i) => exampleNames.indexOf(name) !== i)).toEqual([]);
    expect(exampleNames.filter((name) => !keys.includes(name) && !composeVariables.includes(name))).toEqual([]);
  });

  it('gives every variable docker-compose.yml interpolates, so `docker compose up` finds them in .env', () => {
    expect(composeVariables.filter((name) => !exampleNames.includes(name))).toEqual([]);
  });

  it('explains each variable in a comment right above it', () => {
    expect(example.lines.filter((l) => !l.above.startsWith('#')).map((l) => l.name)).toEqual([]);
  });

  it('is read the same by every Compose version: NAME=value lines, no quotes, no comment after a value', () => {
    expect(example.malformed).toEqual([]);
    expect(example.lines.filter((l) => /["']|\s#/.test(l.value)).map((l) => l.name)).toEqual([]);
  });

  it('is a configuration the service accepts as it stands, so a bad placeholder shows up here and not at start-up', () => {
    const env = Object.fromEntries(example.lines.map((l) => [l.name, l.value]));
    // As it stands: the sandbox, with the demo responder.
    const sandbox = loadConfig(env);
    expect(sandbox.sandbox).toMatchObject({ demoLlm: true });
    expect(sandbox.http.port).toBe(8080);
    // Filled in to go live: production, webhook mode.
    const live = loadConfig({ ...env, BOT_TOKEN: '123:abc', OPERATOR_CHAT_ID: '-1001', CHAT_GPT_TOKEN: 'sk-x' });
    expect(live.sandbox).toBeUndefined();
    expect(live.telegram.mode).toBe('webhook');
  });

  it('holds placeholders, never secrets', () => {
    const secrets = ['BOT_TOKEN', 'WEBHOOK_SECRET', 'CHAT_GPT_TOKEN', 'OPENAI_API_KEY', 'ADMIN_TOKEN', 'POSTGRES_PASSWORD'];
    const real = example.lines.filter((l) => secrets.includes(l.name) && l.value !== '' && !l.value.includes('replace'));
    expect(real.map((l) => l.name)).toEqual([]);
  });
});
