/**
 * Escapes text for Telegram's HTML parse mode: `&`, `<` and `>` become `&amp;`, `&lt;`, `&gt;`.
 * Use it for every text that is not Markdown (user names, ticket fields) before putting it
 * into an HTML message; Telegram refuses the whole message on one stray `<` or `&`.
 *
 * @example `<b>${escapeHtml(user.firstName)}</b> asked for an operator`
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Escapes a value for a double-quoted HTML attribute (`href="…"`): like {@link escapeHtml},
 * and `"` becomes `&quot;`.
 */
export function escapeHtmlAttribute(value: string): string {
  return escapeHtml(value).replace(/"/g, '&quot;');
}
