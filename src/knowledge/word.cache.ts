import type { WordResolution } from '../store/knowledge.store';
import type { KnowledgeLang } from './knowledge.types';

/** Words kept at most; past this the cache starts again empty (a chat's vocabulary is small). */
const MAX_WORDS = 20_000;

/**
 * What the store said about query words (lexemes, document frequencies, relatives, typo
 * neighbours, synonyms) and how many entries each language has, for one version of the index.
 * Support questions reuse few words, so most questions skip the look-up statement. The version
 * is the index's source hash, which the candidates statement returns with every answer: when
 * another process reindexes, the first retrieval that sees the new hash empties the cache and
 * is done again.
 */
export class WordCache {
  private version: string | null = null;
  private readonly words = new Map<string, WordResolution>();
  private readonly entries = new Map<KnowledgeLang, number>();

  /** The cached resolutions of `words` (undefined where missing), and the language's entry count if known. */
  lookup(lang: KnowledgeLang, words: readonly string[]): { found: Array<WordResolution | undefined>; entries: number | undefined } {
    return { found: words.map((w) => this.words.get(`${lang}:${w}`)), entries: this.entries.get(lang) };
  }

  /** Remembers what the store returned. */
  store(lang: KnowledgeLang, resolutions: readonly WordResolution[], entries: number): void {
    if (this.words.size + resolutions.length > MAX_WORDS) this.words.clear();
    for (const r of resolutions) this.words.set(`${lang}:${r.word}`, r);
    this.entries.set(lang, entries);
  }

  /**
   * Records the index version a retrieval saw. Returns true when it differs from the one the
   * cache was filled under (the cache is then emptied, and a retrieval that used it should be
   * done again).
   */
  observe(version: string | null): boolean {
    if (version === this.version) return false;
    const hadVersion = this.version !== null || this.words.size > 0;
    this.clear();
    this.version = version;
    return hadVersion;
  }

  /** Forgets everything (after this process reindexed). */
  clear(): void {
    this.words.clear();
    this.entries.clear();
    this.version = null;
  }
}
