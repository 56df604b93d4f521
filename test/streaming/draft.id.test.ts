import { draftIdFor } from '../../src/streaming/draft.id';

describe('draftIdFor names an answer\'s draft durably', () => {
  it('is non-zero, within 32 bits, and the same for the same answer', () => {
    expect(draftIdFor(0)).toBe(1);
    expect(draftIdFor(41)).toBe(42);
    expect(draftIdFor(2 ** 31 - 1)).toBe(1);
    expect(draftIdFor(12345678901234n)).toBe(draftIdFor(12345678901234n));
    const fromText = draftIdFor('outbox:9f1c');
    expect(fromText).toBe(draftIdFor('outbox:9f1c'));
    expect(fromText).not.toBe(draftIdFor('outbox:9f1d'));
    for (const id of [fromText, draftIdFor(''), draftIdFor(2 ** 40)]) {
      expect(id).toBeGreaterThan(0);
      expect(id).toBeLessThan(2 ** 31);
    }
    expect(() => draftIdFor(-1)).toThrow(RangeError);
    expect(() => draftIdFor(1.5)).toThrow(RangeError);
  });
});
