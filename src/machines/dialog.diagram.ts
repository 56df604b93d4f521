import type { AnyStateMachine, AnyStateNode } from 'xstate';

/**
 * Renders a machine as a Mermaid `stateDiagram-v2`, straight from its definition: every state,
 * nested states as composites, and every transition that changes state, labelled with its event
 * (and guard, in brackets). Self-transitions that only cause effects are left out to keep the
 * picture readable; the tests cover them.
 *
 * `npm run machine:diagram` writes the result to docs/dialog-machine.md; a test fails when the
 * file and the machine drift apart.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  const id = (node: AnyStateNode) => node.path.join('_');

  const declare = (node: AnyStateNode, indent: string) => {
    const children = Object.values(node.states) as AnyStateNode[];
    for (const child of children) {
      const nested = Object.keys(child.states).length > 0;
      if (nested) {
        lines.push(`${indent}state ${child.key} {`);
        declare(child, `${indent}  `);
        lines.push(`${indent}}`);
      } else if (child.path.length > 1) {
        lines.push(`${indent}state "${child.key}" as ${id(child)}`);
      }
      if (child.type === 'final') lines.push(`${indent}${id(child)} --> [*]`);
    }
    if (node.initial) {
      const initial = node.initial.target[0] as AnyStateNode;
      lines.push(`${indent}[*] --> ${id(initial)}`);
    }
  };

  const edges: string[] = [];
  const collect = (node: AnyStateNode) => {
    for (const [eventType, transitions] of node.transitions) {
      for (const t of transitions) {
        for (const target of t.target ?? []) {
          if (target === node) continue;
          const guard = t.guard ? ` [${typeof t.guard === 'string' ? t.guard : (t.guard as { type?: string }).type ?? 'guard'}]` : '';
          edges.push(`  ${id(node)} --> ${id(target as AnyStateNode)}: ${eventType}${guard}`);
        }
      }
    }
    for (const child of Object.values(node.states) as AnyStateNode[]) collect(child);
  };

  declare(machine.root, '  ');
  for (const child of Object.values(machine.root.states) as AnyStateNode[]) collect(child);
  return [...lines, ...edges].join('\n') + '\n';
}

/** The Markdown document that embeds the diagram (docs/dialog-machine.md). */
export function diagramDocument(machine: AnyStateMachine): string {
  return [
    '# The dialog machine',
    '',
    'Generated from `src/machines/dialog.machine.ts` (states in `src/machines/states/`) by `npm run machine:diagram`; do not edit by hand',
    '(a test fails when this file and the machine drift apart). Self-transitions that only cause',
    'effects (relaying a message, answering with the LLM) are not drawn.',
    '',
    '```mermaid',
    toMermaid(machine).trimEnd(),
    '```',
    '',
  ].join('\n');
}
