import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  compareHandoffLayers,
  evaluateHandoff,
  formatHandoffReport,
  HANDOFF_RULE_SETS,
  HandoffDatasetError,
  parseLabelledJsonl,
  scoreHandoff,
  type LabelledMessage,
} from '../../src/handoff';

describe('scoreHandoff arithmetic on a tiny hand-made set', () => {
  const set: LabelledMessage[] = [
    { text: 'a', handoff: true, lang: 'ru' }, // predicted yes: tp
    { text: 'b', handoff: true, lang: 'ru' }, // predicted no: fn
    { text: 'c', handoff: false, lang: 'ru' }, // predicted yes: fp
    { text: 'd', handoff: false, lang: 'en' }, // predicted no: tn
    { text: 'e', handoff: true, lang: 'en' }, // predicted yes: tp
  ];
  const yes = new Set(['a', 'c', 'e']);
  const scores = scoreHandoff(set, (m) => yes.has(m.text));

  it('counts tp, fp, fn, tn overall and per language', () => {
    expect(scores.overall).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 1 });
    expect(scores.byLang.ru).toMatchObject({ tp: 1, fp: 1, fn: 1, tn: 0 });
    expect(scores.byLang.en).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 1 });
  });

  it('computes precision, recall and F1', () => {
    expect(scores.overall.precision).toBeCloseTo(2 / 3);
    expect(scores.overall.recall).toBeCloseTo(2 / 3);
    expect(scores.overall.f1).toBeCloseTo(2 / 3);
    expect(scores.byLang.ru).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(scores.byLang.en).toMatchObject({ precision: 1, recall: 1, f1: 1 });
  });

  it('scores an empty slice as 0, never as perfect', () => {
    expect(scoreHandoff([{ text: 'x', handoff: false, lang: 'ru' }], () => false).overall).toEqual({
      precision: 0,
      recall: 0,
      f1: 0,
      tp: 0,
      fp: 0,
      fn: 0,
      tn: 1,
    });
  });
});

describe('evaluateHandoff', () => {
  it('lists each mistake of the rules with its reason, beside the baseline', () => {
    const evaluation = evaluateHandoff([
      { text: 'позовите оператора', handoff: true, lang: 'ru' },
      { text: 'сколько человек в аккаунте?', handoff: false, lang: 'ru' },
      { text: 'агент, отзовись', handoff: false, lang: 'ru' },
      { text: 'тупой бот', handoff: false, lang: 'ru' },
    ]);
    expect(evaluation.overall).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 2 });
    expect(evaluation.baseline.overall).toMatchObject({ tp: 1, fp: 1, fn: 0, tn: 2 });
    expect(evaluation.mistakes).toEqual([
      { kind: 'false_positive', text: 'тупой бот', lang: 'ru', reason: 'failure.frustration', blockedBy: [] },
    ]);
    expect(formatHandoffReport(evaluation)).toContain('FP [ru] "тупой бот"  reason=failure.frustration');
  });
});

describe('parseLabelledJsonl', () => {
  it('reads lines and skips blank ones', () => {
    expect(parseLabelledJsonl('{"text":"оператор","handoff":true,"lang":"ru"}\n\n{"text":"hi","handoff":false,"lang":"en"}\n')).toEqual([
      { text: 'оператор', handoff: true, lang: 'ru' },
      { text: 'hi', handoff: false, lang: 'en' },
    ]);
  });

  it('names the line of a malformed entry', () => {
    const content = '{"text":"ok","handoff":false,"lang":"en"}\n{"text":"oops","handoff":"yes","lang":"en"}\n';
    expect(() => parseLabelledJsonl(content)).toThrow(HandoffDatasetError);
    expect(() => parseLabelledJsonl(content)).toThrow(/^line 2: "handoff" must be true or false/);
    expect(() => parseLabelledJsonl('{"text": "no closing brace"\n')).toThrow(/^line 1: not valid JSON/);
  });
});

describe('the shipped labelled set (guards against regressions)', () => {
  const messages = parseLabelledJsonl(readFileSync(join(__dirname, '../../data/handoff.jsonl'), 'utf8'));
  const evaluation = evaluateHandoff(messages);

  // Every registered language must bring its own labelled lines: adding a rule set without data fails here.
  const languages = HANDOFF_RULE_SETS.map((set) => set.lang);

  it('is large, has at least 180 lines per language, and is hard for keyword matching', () => {
    expect(messages.length).toBeGreaterThanOrEqual(400);
    for (const lang of languages) expect(messages.filter((m) => m.lang === lang).length).toBeGreaterThanOrEqual(180);
    const negatives = messages.filter((m) => !m.handoff);
    const withTrigger = negatives.filter((m) => /оператор|человек|менеджер|operator|human|agent|person/i.test(m.text));
    expect(withTrigger.length * 2).toBeGreaterThanOrEqual(negatives.length);
  });

  it.each(languages)('rules reach precision ≥ 0.97 and recall ≥ 0.95 in %s', (lang) => {
    const scores = evaluation.byLang[lang];
    expect(scores).toBeDefined();
    expect(scores?.precision).toBeGreaterThanOrEqual(0.97);
    expect(scores?.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('the held-out set of round 2 (never tuned on; this only guards against regressions)', () => {
  const messages = parseLabelledJsonl(readFileSync(join(__dirname, '../../data/handoff.holdout-r2.jsonl'), 'utf8'));
  const evaluation = evaluateHandoff(messages);

  it.each(HANDOFF_RULE_SETS.map((set) => set.lang))('rules keep precision ≥ 0.97 and recall ≥ 0.95 in %s', (lang) => {
    expect(evaluation.byLang[lang]?.precision).toBeGreaterThanOrEqual(0.97);
    expect(evaluation.byLang[lang]?.recall).toBeGreaterThanOrEqual(0.95);
  });
});

describe('compareHandoffLayers', () => {
  const lines: LabelledMessage[] = [
    { text: 'позовите оператора', handoff: true, lang: 'ru' }, // rules yes, llm yes
    { text: 'I was charged twice, fix it', handoff: true, lang: 'en' }, // rules no, llm yes
    { text: 'где мой заказ?', handoff: false, lang: 'ru' }, // rules no, llm no
    { text: 'refund please', handoff: false, lang: 'en' }, // rules no, llm yes: an LLM false alarm
    { text: 'hello', handoff: false, lang: 'en' }, // llm failed: out of every row
  ];

  it('scores rules only, LLM only and both on the lines the LLM answered', () => {
    const layers = compareHandoffLayers(lines, ['transfer', 'transfer', 'reply', 'transfer', 'error']);
    expect(layers).toMatchObject({ answered: 4, failed: 1 });
    expect(layers.rules.overall).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 });
    expect(layers.llm.overall).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1 });
    expect(layers.both.overall).toMatchObject({ tp: 2, fp: 1, fn: 0, tn: 1 });
    expect(layers.both.byLang.ru).toMatchObject({ tp: 1, fp: 0, fn: 0, tn: 1 });
  });

  it('refuses verdicts that do not pair with the lines', () => {
    expect(() => compareHandoffLayers(lines, ['reply'])).toThrow(RangeError);
  });
});
