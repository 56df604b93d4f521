/**
 * Measures the handoff rules against a labelled JSONL file, beside the keyword baseline.
 *
 * Usage: npm run --silent eval:handoff -- <file.jsonl> [--json]
 *
 * Prints precision, recall and F1 per language and overall, then every mistake of the rules.
 * With --json it prints one JSON object instead (`HandoffEvaluation`). Exit codes: 0 after a
 * report, 1 when the file cannot be read or has a bad line, 2 on wrong usage.
 */
import { readFileSync } from 'node:fs';
import { evaluateHandoff, formatHandoffReport, HandoffDatasetError, parseLabelledJsonl } from '../src/handoff';

const USAGE = 'usage: npm run --silent eval:handoff -- <file.jsonl> [--json]\n  e.g. npm run --silent eval:handoff -- data/handoff.jsonl';

function main(argv: readonly string[]): number {
  const json = argv.includes('--json');
  const files = argv.filter((arg) => arg !== '--json');
  const unknown = files.filter((arg) => arg.startsWith('--'));
  if (files.length !== 1 || unknown.length > 0) {
    process.stderr.write(`${unknown.length > 0 ? `unknown option ${unknown.join(' ')}\n` : ''}${USAGE}\n`);
    return 2;
  }
  const file = files[0] as string;
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    process.stderr.write(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  try {
    const evaluation = evaluateHandoff(parseLabelledJsonl(content));
    process.stdout.write(json ? `${JSON.stringify(evaluation, null, 2)}\n` : `${file}\n${formatHandoffReport(evaluation)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof HandoffDatasetError) {
      process.stderr.write(`${file}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
