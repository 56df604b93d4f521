import { formatKnowledgeReport, KnowledgeEvalDatasetError, parseKnowledgeEval, scoreKnowledge, type Retrieval } from '../../src/knowledge';

const entry = (id: string) => ({ id, title: id, text: '', score: 1, coverage: 1 });
const retrieval = (decision: Retrieval['decision'], ids: string[]): Retrieval => ({ decision, covered: decision === 'covered', smallTalk: decision === 'small_talk', entries: ids.map(entry), lang: 'ru' });

describe('the knowledge evaluation', () => {
  it('reads labelled lines and names a bad one', () => {
    const cases = parseKnowledgeEval('{"question":"где заказ","lang":"ru","expected":"a.md#A"}\n\n// a comment\n{"question":"погода","lang":"ru","expected":null}\n');
    expect(cases).toEqual([
      { question: 'где заказ', lang: 'ru', expected: 'a.md#A', line: 1 },
      { question: 'погода', lang: 'ru', expected: null, line: 4 },
    ]);
    expect(() => parseKnowledgeEval('{"question":"x","lang":"de","expected":null}')).toThrow(KnowledgeEvalDatasetError);
    expect(() => parseKnowledgeEval('not json')).toThrow('line 1: not valid JSON');
  });

  it('scores hit@1, hit@3 and the not-covered decision per language, and lists every miss', () => {
    const cases = parseKnowledgeEval(
      [
        '{"question":"q1","lang":"ru","expected":"a#1"}',
        '{"question":"q2","lang":"ru","expected":"a#2"}',
        '{"question":"q3","lang":"ru","expected":"a#3"}',
        '{"question":"q4","lang":"ru","expected":null}',
        '{"question":"q5","lang":"ru","expected":null}',
      ].join('\n'),
    );
    const results = [
      retrieval('covered', ['a#1', 'a#2']), // hit@1
      retrieval('covered', ['a#1', 'a#2']), // hit@3 only
      retrieval('not_covered', ['a#3']), // right entry, but called not covered
      retrieval('not_covered', []), // caught
      retrieval('covered', ['a#1']), // missed
    ].map((r, i) => ({ case: cases[i] as (typeof cases)[number], retrieval: r }));
    const evaluation = scoreKnowledge(results);
    expect(evaluation.byLang.ru).toMatchObject({ covered: 3, hit1: 0.667, hit3: 1, answered3: 0.667, notCovered: { precision: 0.5, recall: 0.5 } });
    expect(evaluation.overall.hit3).toBe(1);
    expect(evaluation.misses.map((m) => [m.line, m.kind])).toEqual([
      [3, 'false_not_covered'],
      [5, 'false_covered'],
    ]);
    expect(formatKnowledgeReport(evaluation)).toContain('[false_covered] line 5 ru: q5');
  });
});
