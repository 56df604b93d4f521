import { splitPlainText, TELEGRAM_TEXT_LIMIT } from '../../src/text';

describe('a long plain text (a ticket transcript) is split for sending without formatting', () => {
  test('a short text is one piece, trimmed', () => {
    expect(splitPlainText('  Hello, operator!\n')).toEqual(['Hello, operator!']);
  });

  test('empty or whitespace-only text gives no pieces', () => {
    expect(splitPlainText('')).toEqual([]);
    expect(splitPlainText(' \n\t\n ')).toEqual([]);
  });

  test('the default limit is Telegram\'s 4096', () => {
    const pieces = splitPlainText('word '.repeat(2000));
    expect(pieces.length).toBe(3);
    expect(pieces.every((piece) => piece.length <= TELEGRAM_TEXT_LIMIT)).toBe(true);
  });

  test('it cuts at a paragraph break before a line break, a sentence end or a space', () => {
    const text = 'First paragraph line one.\nLine two. More words here\n\nSecond paragraph.';
    expect(splitPlainText(text, 60)).toEqual(['First paragraph line one.\nLine two. More words here', 'Second paragraph.']);
  });

  test('then at a line break', () => {
    expect(splitPlainText('Line one is here. And more\nline two is here', 35)).toEqual(['Line one is here. And more', 'line two is here']);
  });

  test('then at a sentence end', () => {
    expect(splitPlainText('First sentence here. Second one is longer than that', 40)).toEqual([
      'First sentence here.',
      'Second one is longer than that',
    ]);
    expect(splitPlainText('Вы уверены? Тогда нажмите «Да» ещё раз', 20)).toEqual(['Вы уверены?', 'Тогда нажмите «Да»', 'ещё раз']);
  });

  test('then at a space', () => {
    expect(splitPlainText('alpha beta gamma delta epsilon', 12)).toEqual(['alpha beta', 'gamma delta', 'epsilon']);
  });

  test('a boundary that leaves the piece less than half full loses to a later one of a weaker kind', () => {
    const text = `Intro.\n\n${'word '.repeat(30)}end`;
    const [first] = splitPlainText(text, 100);
    expect(first?.length).toBeGreaterThan(50);
  });

  test('a word longer than the limit is cut hard, and nothing is lost', () => {
    const word = 'a'.repeat(25);
    expect(splitPlainText(`go ${word} now`, 10)).toEqual(['go', 'aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaa now']);
  });

  test('a hard cut never splits an emoji', () => {
    const pieces = splitPlainText('x😀😀😀😀', 4);
    expect(pieces).toEqual(['x😀', '😀😀', '😀']);
  });

  test('indentation inside a piece is kept', () => {
    expect(splitPlainText('Code:\n    indented\n    more', 100)).toEqual(['Code:\n    indented\n    more']);
  });

  test('a limit below 2 is refused', () => {
    expect(() => splitPlainText('text', 0)).toThrow(RangeError);
    expect(() => splitPlainText('text', 2.5)).toThrow(RangeError);
  });
});
