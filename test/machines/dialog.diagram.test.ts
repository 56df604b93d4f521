import fs from 'node:fs';
import path from 'node:path';
import { diagramDocument, toMermaid } from '../../src/machines/dialog.diagram';
import { DIALOG_STATES, dialogMachine } from '../../src/machines/dialog.machine';

describe('the machine diagram in docs/', () => {
  it('matches the machine definition (run `npm run machine:diagram` after changing the machine)', () => {
    const onDisk = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'dialog-machine.md'), 'utf8');
    expect(onDisk).toBe(diagramDocument(dialogMachine));
  });

  it('shows all five states and the handoff path a user takes', () => {
    const diagram = toMermaid(dialogMachine);
    for (const state of DIALOG_STATES) expect(diagram).toContain(state);
    expect(diagram).toContain('handoffRequested_posting --> awaitingOperator: ticket.posted');
    expect(diagram).toContain('awaitingOperator --> operatorActive: operator.take');
    expect(diagram).toContain('operatorActive --> closed: operator.close');
  });
});
