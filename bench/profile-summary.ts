/**
 * Summarises a V8 CPU profile (`node --cpu-prof`, as `npm run bench -- --profile` writes them to
 * bench/.tmp/prof/): where the process spent its time, by package or source folder and by
 * function (self time), plus the inclusive time of the service's own functions.
 *
 * Usage: npx tsx bench/profile-summary.ts bench/.tmp/prof/<file>.cpuprofile [--top 30]
 */
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Which package or source folder a script URL belongs to. */
function areaOf(url: string): string {
  if (!url) return '(native/idle/gc)';
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1] as string;
  const own = /\/work\/main\/(src\/[^/]+(?:\/[^/]+)?|test\/[^/]+|bench)/.exec(url);
  if (own) return (own[1] as string).replace(/\.ts$/, '');
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

function main(argv: readonly string[]): void {
  const file = argv.find((a) => a.endsWith('.cpuprofile'));
  if (!file) throw new Error('give a .cpuprofile file, e.g. bench/.tmp/prof/CPU.2026….cpuprofile');
  const at = argv.indexOf('--top');
  const top = at >= 0 ? Number(argv[at + 1]) : 30;
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;

  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    self.set(id, (self.get(id) ?? 0) + dt);
    total += dt;
  });

  const idle = [...self].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((s, [, t]) => s + t, 0);
  const busy = total - idle;
  const byArea = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, t] of self) {
    const node = byId.get(id);
    if (!node || node.callFrame.functionName === '(idle)') continue;
    const area = areaOf(node.callFrame.url);
    byArea.set(area, (byArea.get(area) ?? 0) + t);
    const name = `${node.callFrame.functionName || '(anonymous)'} ${area}:${node.callFrame.lineNumber + 1}`;
    byFunction.set(name, (byFunction.get(name) ?? 0) + t);
    // Inclusive time of our own functions: walk up the stack once per distinct frame.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur)?.callFrame;
      if (!frame || !frame.url.includes('/work/main/src/')) continue;
      const key = `${frame.functionName || '(anonymous)'} ${areaOf(frame.url)}:${frame.lineNumber + 1}`;
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((t / busy) * 100).toFixed(1).padStart(5)} %`;
  const print = (title: string, map: Map<string, number>, n: number) => {
    process.stdout.write(`\n${title}\n`);
    for (const [k, t] of [...map].sort((a, b) => b[1] - a[1]).slice(0, n)) process.stdout.write(`  ${pct(t)}  ${(t / 1000).toFixed(0).padStart(7)} ms  ${k}\n`);
  };
  process.stdout.write(`${file}\n  wall ${(total / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (${((busy / total) * 100).toFixed(0)} %), percentages are of busy time\n`);
  print('By package / source folder (self time)', byArea, top);
  print('By function (self time)', byFunction, top);
  print('Service functions (inclusive time)', inclusive, top);
}

main(process.argv.slice(2));
