/**
 * Returns `href` when Telegram may get it as a clickable link, `undefined` otherwise.
 * Allowed: `http`/`https` URLs with a host, `tg://…` (mentions, deep links) and `mailto:`.
 * Anything else (relative paths, `ftp:`, `javascript:`, `data:`) must be shown as text:
 * a link the client cannot open only confuses the user, and a bad `href` can make Telegram
 * refuse the message.
 */
export function telegramLinkHref(href: string): string | undefined {
  if (href === '' || /[\s<>"\u0000-\u001f\u007f]/.test(href)) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'http':
    case 'https':
      return hasHost(href) ? href : undefined;
    case 'tg':
      return /^tg:\/\/[a-z0-9_]+/i.test(href) ? href : undefined;
    case 'mailto':
      return /^mailto:[^@]+@[^@]+/i.test(href) ? href : undefined;
    default:
      return undefined;
  }
}

function hasHost(href: string): boolean {
  try {
    return new URL(href).hostname !== '';
  } catch {
    return false;
  }
}
