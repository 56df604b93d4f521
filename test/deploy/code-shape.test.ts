import fs from 'node:fs';
import path from 'node:path';

/**
 * The shape the code keeps (README "Architecture"): SQL lives only in src/store and migrations/
 * (src/db only opens the pool and runs the migrations), and no module grows past about 400 lines.
 * These read the sources as text: a query written elsewhere fails here, not in review.
 */
const SRC = path.join(__dirname, '..', '..', 'src');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Knex and SQL as they are written: a query builder call on a pool or transaction, raw SQL, SQL keywords at a statement's start. */
const SQL = [/\bdb\(['"`]/, /\btrx\(['"`]/, /\.raw\(/, /\b(SELECT|INSERT INTO|DELETE FROM|UPDATE)\s+[\w*]/, /\.(whereRaw|andWhereRaw|joinRaw)\(/];
const SQL_HOMES = [path.join(SRC, 'store'), path.join(SRC, 'db')];

describe('the shape of the code', () => {
  const files = sources(SRC);

  it('has SQL only in the stores (src/store) and migrations/', () => {
    const outside = files
      .filter((f) => !SQL_HOMES.some((home) => f.startsWith(home + path.sep)))
      .flatMap((f) =>
        fs
          .readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${path.relative(SRC, f)}:${i + 1}` }))
          .filter(({ line }) => !/^\s*(\*|\/\/)/.test(line) && SQL.some((re) => re.test(line)))
          .map(({ at, line }) => `${at}: ${line.trim()}`),
      );
    expect(outside).toEqual([]);
  });

  it('keeps every module under about 400 lines', () => {
    const long = files.map((f) => ({ f: path.relative(SRC, f), n: fs.readFileSync(f, 'utf8').split('\n').length })).filter(({ n }) => n > 420);
    expect(long).toEqual([]);
  });

  it('finds SQL where it is (the check is not blind)', () => {
    const store = fs.readFileSync(path.join(SRC, 'store', 'outbox.store.ts'), 'utf8');
    expect(SQL.some((re) => store.split('\n').some((line) => re.test(line)))).toBe(true);
  });
});
