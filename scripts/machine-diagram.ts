import fs from 'node:fs';
import path from 'node:path';
import { diagramDocument } from '../src/machines/dialog.diagram';
import { dialogMachine } from '../src/machines/dialog.machine';

/** `npm run machine:diagram`: writes docs/dialog-machine.md from the machine definition. */
const target = path.join(__dirname, '..', 'docs', 'dialog-machine.md');
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, diagramDocument(dialogMachine));
process.stdout.write(`wrote ${path.relative(process.cwd(), target)}\n`);
