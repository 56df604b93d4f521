import type { Mark, RichText, TextRun } from './rich-text.model';
import { richTextToPlain } from './rich-text.model';

/**
 * Widest table (in characters per line) still drawn as a monospace block. A phone shows about
 * 40–50 monospace characters per line; wider tables wrap into an unreadable grid, so they are
 * written as plain lines instead.
 */
export const TABLE_MAX_MONOSPACE_WIDTH = 48;

/** One table as parsed: rows of cells, each cell its own rich text; the first `headerRows` rows are the header. */
export interface TableCells {
  readonly rows: readonly (readonly RichText[])[];
  readonly headerRows: number;
}

/**
 * Degrades a Markdown table to what Telegram can show (it has no tables). A table that fits
 * {@link TABLE_MAX_MONOSPACE_WIDTH} becomes a `<pre>` block with padded columns and a rule
 * under the header (cell formatting is dropped: a code block holds plain text only). A wider
 * one becomes one line per row, cells joined by " | ", the header in bold, cell formatting kept.
 * Marks in the result are relative: the caller puts them inside its own (a quote, say).
 */
export function renderTable(table: TableCells): RichText {
  const grid = table.rows.map((row) => row.map((cell) => richTextToPlain(cell).replace(/\s*\n\s*/g, ' ').trim()));
  const columns = Math.max(0, ...grid.map((row) => row.length));
  if (columns === 0) return [];
  const widths = Array.from({ length: columns }, (_, c) => Math.max(1, ...grid.map((row) => width(row[c] ?? ''))));
  const lineWidth = widths.reduce((sum, w) => sum + w, 0) + 3 * Math.max(0, columns - 1);
  if (lineWidth <= TABLE_MAX_MONOSPACE_WIDTH) return monospaceTable(grid, widths, table.headerRows);
  return lineTable(table);
}

function monospaceTable(grid: readonly (readonly string[])[], widths: readonly number[], headerRows: number): RichText {
  const line = (row: readonly string[]): string =>
    widths.map((w, c) => pad(row[c] ?? '', w)).join(' | ').trimEnd();
  const lines = grid.map(line);
  if (headerRows > 0 && headerRows < grid.length) {
    lines.splice(headerRows, 0, widths.map((w) => '-'.repeat(w)).join('-+-'));
  }
  const pre: Mark = { kind: 'pre', language: undefined };
  return [{ text: lines.join('\n'), marks: [pre] }];
}

function lineTable(table: TableCells): RichText {
  const runs: TextRun[] = [];
  table.rows.forEach((row, r) => {
    const outer: readonly Mark[] = r < table.headerRows ? [{ kind: 'bold' }] : [];
    if (r > 0) runs.push({ text: '\n', marks: [] });
    row.forEach((cell, c) => {
      if (c > 0) runs.push({ text: ' | ', marks: outer });
      for (const run of cell) runs.push({ text: run.text.replace(/\n/g, ' '), marks: [...outer, ...run.marks] });
    });
  });
  return runs;
}

/** Width in code points, so an emoji or a Cyrillic letter takes one column like a Latin one. */
function width(text: string): number {
  return Array.from(text).length;
}

function pad(text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - width(text)));
}
