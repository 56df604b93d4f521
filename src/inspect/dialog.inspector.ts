import type { StepObserver } from '../core/dialog.engine';
import { isClosed } from '../core/step.build';
import { dialogMachine } from '../machines/dialog.machine';

/** A running inspector: a step observer plus a way to stop its server. */
export interface DialogInspector extends StepObserver {
  stop(): void;
}

/** Replaces message texts with their length: the inspector is for flows, not for reading users' messages. */
function withoutTexts<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (key, v) => (key === 'text' && typeof v === 'string' ? `[${v.length} chars]` : v)) as T;
}

/**
 * The Stately inspector for developers (`INSPECT=1`). Dialogs are stepped with pure
 * `transition()`, not live actors, so each committed step is reported by hand: the dialog as an
 * actor (with the machine's definition), the event, and the new snapshot.
 *
 * It starts @statelyai/inspect's local WebSocket server on `port`; open http://localhost:<port>
 * to watch (the page embeds Stately's hosted inspector, so the browser needs the internet).
 * Message texts are replaced by their length before they leave the process.
 */
export async function startDialogInspector(port: number): Promise<DialogInspector> {
  // The package is ESM-only; Node 20.19+ and 22 load it from CommonJS with require().
  const { createInspectorServer } = await import('@statelyai/inspect/server');
  const { createWebSocketInspector } = await import('@statelyai/inspect');
  const server = createInspectorServer({ port, autoOpen: false });
  const inspector = createWebSocketInspector({ url: `ws://localhost:${port}` });
  const definition = JSON.stringify(dialogMachine.definition);
  const known = new Set<number>();

  return {
    onStep({ dialogId, event, snapshot }) {
      const id = `dialog-${dialogId}`;
      const inspected = { status: snapshot.status, value: snapshot.value, context: withoutTexts(snapshot.context) };
      if (!known.has(dialogId)) {
        known.add(dialogId);
        inspector.actor(id, inspected, { definition });
      }
      const cleanEvent = withoutTexts(event);
      inspector.event(id, cleanEvent);
      inspector.snapshot(id, inspected, { event: cleanEvent });
      if (isClosed(snapshot)) known.delete(dialogId);
    },
    stop() {
      inspector.stop();
      server.stop();
    },
  };
}
