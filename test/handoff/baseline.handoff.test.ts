import { baselineHandoff } from '../../src/handoff';

describe('baselineHandoff', () => {
  it('fires on any trigger substring, which is why it is only a yardstick', () => {
    expect(baselineHandoff('позовите ОПЕРАТОРА')).toBe(true);
    expect(baselineHandoff('сколько человек в аккаунте?')).toBe(true);
    expect(baselineHandoff('price per person')).toBe(true);
    expect(baselineHandoff('дайте живого')).toBe(false);
  });
});
