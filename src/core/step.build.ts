import type { SnapshotFrom } from 'xstate';
import { DIALOG_MACHINE_VERSION, type dialogMachine, type DialogStateName } from '../machines/dialog.machine';
import type { DialogEvent } from '../machines/dialog.types';
import type { DialogWrite, StepCommit } from '../store/step.commit';
import { IN_STEP_EFFECTS, kindOf, type Effect } from './effect.types';

/** A snapshot of the dialog machine. */
export type Snapshot = SnapshotFrom<typeof dialogMachine>;

/** Top-level state of a snapshot. */
export function topState(snapshot: Snapshot): DialogStateName {
  const v = snapshot.value;
  return (typeof v === 'string' ? v : Object.keys(v)[0]) as DialogStateName;
}

/** Dotted state path, e.g. `handoffRequested.posting`. */
export function statePath(snapshot: Snapshot): string {
  const path: string[] = [];
  let v: unknown = snapshot.value;
  while (v && typeof v === 'object') {
    const [key, inner] = Object.entries(v as Record<string, unknown>)[0] as [string, unknown];
    path.push(key);
    v = inner;
  }
  if (typeof v === 'string') path.push(v);
  return path.join('.');
}

/**
 * "Closed", defined once: the dialog machine is in its `closed` state. The step that gets there
 * sets `closed_at`; the chat's next message opens a new dialog. Only an operator's `/reopen`
 * steps a closed dialog again (the engine loads it by number), and the step that leaves `closed`
 * clears `closed_at` in the same one statement.
 */
export function isClosed(snapshot: Snapshot): boolean {
  return topState(snapshot) === 'closed';
}

/** The `dialog_transitions` row of a step from `from` to `next`: a handoff's reason and layer, a closing's reason. */
export function transitionRow(from: string, next: Snapshot, event: DialogEvent, actor: string): StepCommit['transitions'][number] {
  const to = statePath(next);
  const handoff = next.context.handoff;
  const intoHandoff = topState(next) === 'handoffRequested' && !from.startsWith('handoffRequested');
  return {
    from,
    to,
    event: event.type,
    reason: intoHandoff ? handoff?.reason ?? null : to === 'closed' ? next.context.closeReason ?? null : null,
    layer: intoHandoff ? handoff?.layer ?? null : null,
    actor,
  };
}

/**
 * What a step writes, for the one statement that commits it: the dialog row from the snapshot
 * `next`, the transitions, the net change of each timer (the last effect on it wins; a timer this
 * step delivers is consumed unless set again) and the outbox: `receipts` first, then the
 * machine's effects, each with its kind.
 */
export function buildStep(input: {
  write: DialogWrite;
  next: Snapshot;
  revision: number;
  transitions: StepCommit['transitions'];
  effects: Effect[];
  receipts: Effect[];
  owner: string;
  leaseSeconds: number;
  parts: Pick<StepCommit, 'message' | 'operator' | 'inboxUpdateId' | 'outboxDoneId' | 'links' | 'pairs'>;
  /** When the step is taken (the service's clock): timers count from it. */
  now?: number;
}): StepCommit {
  const timers = new Map<string, number | null>();
  if (input.write.kind === 'update' && input.write.dueTimer !== undefined) timers.set(input.write.dueTimer, null);
  for (const effect of input.effects) {
    if (effect.type === 'scheduleTimer') timers.set(effect.params.name, effect.params.delayMs);
    else if (effect.type === 'cancelTimer') timers.set(effect.params.name, null);
  }
  const ctx = input.next.context;
  const queued = [...input.receipts, ...input.effects.filter((e) => !IN_STEP_EFFECTS.has(e.type))];
  return {
    dialog: input.write,
    state: topState(input.next),
    stateValue: input.next.value,
    context: ctx,
    revision: input.revision,
    machineVersion: DIALOG_MACHINE_VERSION,
    handoffReason: ctx.handoff?.reason ?? null,
    handoffLayer: ctx.handoff?.layer ?? null,
    closed: isClosed(input.next),
    ticketMessageId: ctx.ticket?.messageId ?? null,
    topicThreadId: ctx.ticket?.threadId ?? null,
    transitions: input.transitions,
    ...input.parts,
    timers: [...timers].map(([name, delayMs]) => ({ name, delayMs })),
    now: input.now,
    outbox: { owner: input.owner, leaseSeconds: input.leaseSeconds, effects: queued.map((effect) => ({ kind: kindOf(effect), effect: stored(effect) })) },
  };
}

/** An effect as the outbox stores it (`params` always an object). */
function stored(effect: Effect): { type: string; params: object } {
  return { type: effect.type, params: effect.params ?? {} };
}
