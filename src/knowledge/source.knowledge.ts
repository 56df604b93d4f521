import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { KnowledgeDirError, KnowledgeParseError } from './knowledge.errors';
import type { KnowledgeEntry, KnowledgeLang } from './knowledge.types';
import { parseKnowledgeFile } from './markdown.knowledge';
import { BUILTIN_SYNONYMS, parseSynonyms } from './synonyms.knowledge';

/** The parsed knowledge directory and the hash of its contents. */
export interface KnowledgeSource {
  entries: KnowledgeEntry[];
  /** SHA-256 over every file's relative path and bytes, in path order: changes when any file does. */
  hash: string;
  files: string[];
  /** Synonym groups per language: the built-in ones, then the base's `synonyms.txt`. */
  synonyms: Record<KnowledgeLang, string[]>;
}

/** The optional file of a base's own synonym groups (see {@link parseSynonyms}). */
export const SYNONYMS_FILE = 'synonyms.txt';

/**
 * Reads every `*.md` file under `dir` (sub-folders included; `README.md` and files or folders
 * starting with `.` or `_` are skipped, for notes and drafts) and parses it.
 *
 * @throws KnowledgeDirError when the folder is missing; KnowledgeParseError on a bad file, or
 *   when two files produce the same entry id.
 */
export async function readKnowledgeDir(dir: string): Promise<KnowledgeSource> {
  let files: string[];
  try {
    files = (await listMarkdown(dir, '')).sort();
  } catch (error) {
    throw new KnowledgeDirError(dir, error instanceof Error ? error.message : String(error));
  }
  const hash = createHash('sha256');
  const entries: KnowledgeEntry[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    const content = await fs.readFile(path.join(dir, file), 'utf8');
    hash.update(file).update('\0').update(content).update('\0');
    for (const entry of parseKnowledgeFile(file, content)) {
      if (ids.has(entry.id)) throw new KnowledgeParseError(file, 1, `the entry id "${entry.id}" exists twice`);
      ids.add(entry.id);
      entries.push(entry);
    }
  }
  const synonyms: Record<KnowledgeLang, string[]> = { ru: [...BUILTIN_SYNONYMS.ru], en: [...BUILTIN_SYNONYMS.en] };
  const own = await fs.readFile(path.join(dir, SYNONYMS_FILE), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (own !== null) {
    hash.update(SYNONYMS_FILE).update('\0').update(own);
    let parsed: Record<KnowledgeLang, string[]>;
    try {
      parsed = parseSynonyms(own);
    } catch (error) {
      throw new KnowledgeParseError(SYNONYMS_FILE, Number(/:(\d+):/.exec(String(error))?.[1] ?? 1), error instanceof Error ? error.message.replace(/^[^:]+:\d+: /, '') : String(error));
    }
    synonyms.ru.push(...parsed.ru);
    synonyms.en.push(...parsed.en);
  }
  hash.update(JSON.stringify(BUILTIN_SYNONYMS));
  return { entries, hash: hash.digest('hex'), files, synonyms };
}

/** SHA-256 of one entry's indexed content (heading, language, tags, text). */
export function entryHash(entry: KnowledgeEntry): string {
  return createHash('sha256').update(JSON.stringify([entry.heading, entry.lang, entry.tags, entry.body])).digest('hex');
}

async function listMarkdown(root: string, relative: string): Promise<string[]> {
  const found: string[] = [];
  for (const item of await fs.readdir(path.join(root, relative), { withFileTypes: true })) {
    if (item.name.startsWith('.') || item.name.startsWith('_')) continue;
    const rel = relative ? `${relative}/${item.name}` : item.name;
    if (item.isDirectory()) found.push(...(await listMarkdown(root, rel)));
    else if (item.isFile() && item.name.toLowerCase().endsWith('.md') && item.name.toLowerCase() !== 'readme.md') found.push(rel);
  }
  return found;
}
