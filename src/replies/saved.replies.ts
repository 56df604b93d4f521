import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Lang } from '../machines/dialog.types';

/** A saved reply's key: what follows `/r` (`delivery`, `refund-policy`). */
const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
/** A saved reply's file: `<key>.<lang>.md`. */
const FILE = /^([a-z0-9][a-z0-9_-]{0,63})\.(ru|en)\.md$/;

/**
 * The operators' saved replies (`/r <key>`): one Markdown file per key and language under
 * `REPLIES_DIR` (`delivery.ru.md`, `delivery.en.md`). The folder is read when a reply is used, so
 * an edited or added file needs no restart; a missing folder simply has no replies.
 *
 * @example const text = await SavedReplies.create('replies').text('delivery', 'ru');
 */
export class SavedReplies {
  private constructor(private readonly dir: string) {}

  /** The replies in `dir` (relative to the working directory). */
  static create(dir: string): SavedReplies {
    return new SavedReplies(dir);
  }

  /** Every key with a file in at least one language, sorted. */
  async keys(): Promise<string[]> {
    const names = await fs.readdir(this.dir).catch(() => [] as string[]);
    return [...new Set(names.flatMap((n) => FILE.exec(n)?.[1] ?? []))].sort();
  }

  /** Whether `key` has a file in some language. */
  async has(key: string): Promise<boolean> {
    return (await this.keys()).includes(key.toLowerCase());
  }

  /**
   * The reply's Markdown in `lang`, else in the other language (a reply written once still
   * answers everyone); null when the key has no file. Keys are case-insensitive.
   */
  async text(key: string, lang: Lang): Promise<string | null> {
    const k = key.toLowerCase();
    if (!KEY.test(k)) return null;
    for (const l of lang === 'ru' ? ['ru', 'en'] : ['en', 'ru']) {
      const text = await fs.readFile(path.join(this.dir, `${k}.${l}.md`), 'utf8').catch(() => null);
      if (text?.trim()) return text.trim();
    }
    return null;
  }
}
