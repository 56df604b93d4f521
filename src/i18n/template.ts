/**
 * Fills a text's `{name}` placeholders with `values[name]`; a placeholder without a value stays as
 * written. Values are inserted as they are: escape HTML before passing it.
 *
 * @example fillTemplate('Dialog #{n} taken by {op}.', { n: 12, op: 'Anna' }) // 'Dialog #12 taken by Anna.'
 */
export function fillTemplate(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}
