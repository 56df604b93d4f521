/**
 * Times one `detectHandoff` decision over every line of data/handoff.jsonl.
 *
 * Usage: npm run bench:handoff [-- --iterations 200]
 *
 * Each call gets the five lines before it as `previousUserTexts`, as in a real dialog, so the
 * repeated-question check is part of the cost. After a warm-up the whole set is run
 * `iterations` times; every decision is timed alone with `process.hrtime.bigint()`, and the
 * mean and 99th percentile are printed and written to bench/handoff-results.json. Target: one
 * decision well under 100 µs.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectHandoff, parseLabelledJsonl, type DetectInput } from '../src/handoff';

const HISTORY = 5;
const WARMUP_ROUNDS = 20;
const TARGET_MICROS = 100;

function main(argv: readonly string[]): void {
  const at = argv.indexOf('--iterations');
  const iterations = at >= 0 ? Number(argv[at + 1]) : 200;
  if (!Number.isInteger(iterations) || iterations < 1) throw new Error('--iterations must be a positive integer, e.g. --iterations 200');

  const root = join(__dirname, '..');
  const messages = parseLabelledJsonl(readFileSync(join(root, 'data/handoff.jsonl'), 'utf8'));
  const inputs: DetectInput[] = messages.map((m, i) => ({
    text: m.text,
    lang: m.lang,
    previousUserTexts: messages.slice(Math.max(0, i - HISTORY), i).map((p) => p.text),
  }));

  const withHistory = measure(inputs, iterations);
  const withoutHistory = measure(
    inputs.map(({ text, lang }) => ({ text, ...(lang === undefined ? {} : { lang }) })),
    iterations,
  );
  const result = {
    meanMicros: withHistory.meanMicros,
    p50Micros: withHistory.p50Micros,
    p99Micros: withHistory.p99Micros,
    maxMicros: withHistory.maxMicros,
    decisions: withHistory.decisions,
    lines: inputs.length,
    iterations,
    historyPerDecision: HISTORY,
    withoutHistory,
    targetMicros: TARGET_MICROS,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    measuredAt: new Date().toISOString(),
  };
  writeFileSync(join(__dirname, 'handoff-results.json'), `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `detectHandoff with ${HISTORY} previous messages: ${result.decisions} decisions (${inputs.length} lines x ${iterations}), ` +
      `mean ${result.meanMicros} µs, p50 ${result.p50Micros} µs, p99 ${result.p99Micros} µs, max ${result.maxMicros} µs ` +
      `(target < ${TARGET_MICROS} µs) ${result.p99Micros < TARGET_MICROS ? 'OK' : 'SLOW'}\n` +
      `detectHandoff without history: mean ${withoutHistory.meanMicros} µs, p99 ${withoutHistory.p99Micros} µs\n` +
      `written to bench/handoff-results.json (signals seen: ${withHistory.signals})\n`,
  );
}

interface Timing {
  meanMicros: number;
  p50Micros: number;
  p99Micros: number;
  maxMicros: number;
  decisions: number;
  signals: number;
}

/** Warms up, then times every decision alone; returns microseconds per decision. */
function measure(inputs: readonly DetectInput[], iterations: number): Timing {
  let signals = 0;
  for (let round = 0; round < WARMUP_ROUNDS; round += 1) for (const input of inputs) detectHandoff(input);
  const samples = new Float64Array(iterations * inputs.length);
  let n = 0;
  for (let round = 0; round < iterations; round += 1) {
    for (const input of inputs) {
      const start = process.hrtime.bigint();
      const signal = detectHandoff(input);
      const end = process.hrtime.bigint();
      if (signal !== null && round === 0) signals += 1;
      samples[n] = Number(end - start) / 1000;
      n += 1;
    }
  }
  samples.sort();
  const percentile = (p: number): number => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))] ?? NaN;
  return {
    meanMicros: round3(samples.reduce((sum, x) => sum + x, 0) / samples.length),
    p50Micros: round3(percentile(0.5)),
    p99Micros: round3(percentile(0.99)),
    maxMicros: round3(samples[samples.length - 1] ?? NaN),
    decisions: samples.length,
    signals,
  };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

main(process.argv.slice(2));
