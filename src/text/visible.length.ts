/** The only named entities Telegram's HTML parse mode decodes; numeric ones are all decoded. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"' };

/**
 * Decodes the entities Telegram understands (`&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric
 * ones such as `&#128512;` or `&#x1F600;`); anything else is left as written.
 */
export function decodeTelegramEntities(html: string): string {
  return html.replace(/&(?:(lt|gt|amp|quot)|#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6}));/g, (whole, name?: string, dec?: string, hex?: string) => {
    if (name !== undefined) return NAMED_ENTITIES[name] ?? whole;
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex ?? '', 16);
    return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
  });
}

/**
 * The visible length of a Telegram HTML string as Telegram counts it against the 4096 limit:
 * tags removed, entities decoded, counted in UTF-16 code units (an emoji usually counts 2).
 *
 * @example visibleLength('<b>a &lt; b</b>') === 5
 */
export function visibleLength(html: string): number {
  return decodeTelegramEntities(html.replace(/<[^>]*>/g, '')).length;
}
