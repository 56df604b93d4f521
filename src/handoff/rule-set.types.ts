/**
 * The shape of one language's rules. Adding a language is writing one object of this shape
 * in `rules.<lang>.ts` and listing it in `rules.registry.ts` (see docs/handoff.md).
 *
 * Every pattern runs on text already put through `normalizeText`: lower case, no
 * punctuation, `|` between clauses. Build patterns with the helpers in `pattern.build.ts`, so
 * word boundaries work for Cyrillic too and every regex is compiled once at module load.
 */
export interface HandoffRuleSet {
  /** Language code reported in `HandoffSignal.lang` when this set's rules fire ('ru', 'en'). */
  readonly lang: string;
  /**
   * Optional: the normalised texts this set can apply to, e.g. `/[a-z]/` for English (a text
   * all in Cyrillic cannot match an English pattern). Other texts skip the whole set, which
   * keeps a decision cheap: the Russian set runs on Latin text only when it looks like
   * transliterated Russian. Leave it out to run on every text. Keep it a superset, like
   * `mentions`: `test/handoff/fast-path.handoff.test.ts` compares decisions with it and without.
   */
  readonly appliesTo?: RegExp;
  /**
   * Every word the blockers, `bare` and `requests` are built around (person words, "someone",
   * "people"). When it does not match a message, those rules are skipped: the fast path for
   * an ordinary question. Keep it a superset, or requests will be missed silently.
   */
  readonly mentions: RegExp;
  /**
   * Spans where a person word does NOT ask for a person: negation, other meanings, questions
   * about operators, reported speech. The detector masks them (in every language's text)
   * before it looks for requests. Patterns must carry the `g` flag (`blocker()` sets it).
   */
  readonly blockers: readonly HandoffBlocker[];
  /** A clause made only of person words and filler ("оператор", "human please") → high. */
  readonly bare: RegExp;
  /** Clear requests for a person ("позовите оператора", "can I talk to a human") → high. */
  readonly requests: readonly RegExp[];
  /**
   * Refusing the bot instead of naming a person ("no more bots", "I'd rather not chat with a
   * machine", «не хочу с ботом») → high `rules.refuse_bot`. Like `requests`, they run on the
   * masked text and only when `mentions` matches, so `mentions` must list the bot words too.
   */
  readonly refusals: readonly RegExp[];
  /** Weaker hints ("а можно с кем-то поговорить?", "is there a real person here?") → medium. */
  readonly hints: readonly RegExp[];
  /** Insults and complaints about the bot ("бесполезный бот", "you're useless") → medium. */
  readonly frustration: readonly RegExp[];
  /** Phrases by which an LLM answer says it cannot help ("не могу помочь", "please contact support"). */
  readonly cannotHelp: readonly RegExp[];
  /**
   * Optional: the normalised text with words a user glued to a person word split apart
   * (`talktoahuman` → `talk to a human`); build it with `glueSplitter` from `glue.split.ts`.
   * It runs before everything else, on every message.
   */
  readonly unglue?: (normal: string) => string;
  /**
   * Optional: the text as it would read had the user typed it in this language's keyboard
   * layout (`jgthfnjh` → `оператор`), or null when that makes no sense for the text. Only
   * `bare` and `requests` are tried on the result, so gibberish cannot raise a medium signal.
   */
  readonly fromKeyboardLayout?: (raw: string) => string | null;
}

/** A masking pattern with a code saying which kind of non-request it recognises. */
export interface HandoffBlocker {
  /**
   * `<lang>.<kind>`, e.g. 'ru.negation', 'en.other_meaning', 'en.about_operators',
   * 'ru.reported_speech', 'en.about_bot' (a question about the bot itself: "are you a real person?").
   */
  readonly code: string;
  /** Global regex; every match is replaced by a mask token no rule can reach across. */
  readonly pattern: RegExp;
}
