import { assign, enqueueActions } from 'xstate';
import { dialogSetup } from '../dialog.setup';
import { closeFromAnyOpenState } from '../dialog.fragments';

/** `botActive`: The bot answers: the LLM (with the knowledge base) writes every answer; a signal, a request or a failed LLM leads to the handoff. */
export const botActive = dialogSetup.createStateConfig({
    description: 'The LLM answers the user.',
    // Leaving the bot: a request still being written is stopped, and nothing waits for it.
    exit: enqueueActions(({ context, event, enqueue }) => {
      const pending = context.pendingLlmRequest;
      const answersIt = 'requestId' in event && event.requestId === pending;
      if (pending !== null && !answersIt) enqueue({ type: 'cancelLlm', params: { requestId: pending } });
      enqueue.assign({ pendingLlmRequest: null, burstStartedAt: null, queuedMessageId: null });
    }),
    on: {
      ...closeFromAnyOpenState,
      'user.message': [
        // The rest of an album the bot already answered (or noticed): stored (a later ticket copies it), with no "text only" for each part.
        { guard: 'laterPartOfSeenAlbum', actions: 'keepForTicket' },
        { guard: 'highSignal', target: 'handoffRequested.posting', actions: 'rememberSignal' },
        { guard: 'mediumSignal', target: 'handoffRequested.confirming', actions: 'rememberSignal' },
        // A photo or a voice message without words: the LLM reads text only.
        { guard: 'noText', actions: [{ type: 'notifyUser', params: { key: 'textOnly' } }, 'noteUserAlbum'] },
        // Part of the burst being answered: one answer to the whole burst replaces the pending one.
        {
          guard: 'answerPendingInBurst',
          actions: [
            { type: 'cancelLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
            'waitForMessage', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) }, 'noteUserAlbum',
          ],
        },
        // Later than that: answered right after the pending answer, never dropped.
        { guard: 'answerPending', actions: ['queueMessage', 'noteUserAlbum'] },
        { actions: ['startBurst', 'waitForMessage', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) }, 'noteUserAlbum'] },
      ],
      'llm.reply': [
        {
          guard: 'isPendingWithQueue',
          actions: [
            { type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) },
            assign({ llmFailures: 0 }),
            'waitForQueued', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
            'takeQueued',
          ],
        },
        {
          guard: 'secondStop',
          target: 'handoffRequested.confirming',
          actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) }, 'llmAnswered', 'rememberStops'],
        },
        {
          guard: 'isPendingAndCannotHelp',
          target: 'handoffRequested.confirming',
          actions: [
            { type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) },
            'llmAnswered',
            'rememberCannotHelp',
          ],
        },
        {
          guard: 'isPendingLlm',
          actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) }, 'llmAnswered'],
        },
      ],
      'llm.transfer': [
        // What the model wrote with its decision is sent first: "Let me get you a colleague."
        {
          guard: 'transferWithText',
          target: 'handoffRequested.posting',
          actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text ?? '' }) }, 'rememberLlmTransfer'],
        },
        { guard: 'isPendingLlm', target: 'handoffRequested.posting', actions: 'rememberLlmTransfer' },
      ],
      // The base has no answer: say so, and offer a person (a question that waited is asked about instead).
      'llm.notCovered': [
        {
          guard: 'isPendingWithQueue',
          actions: [
            { type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) },
            'waitForQueued',
            { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
            'takeQueued',
          ],
        },
        {
          guard: 'isPendingLlm',
          target: 'handoffRequested.confirming',
          actions: [{ type: 'sendLlmReply', params: ({ event }) => ({ text: event.text }) }, 'llmAnswered', 'rememberNotCovered'],
        },
      ],
      'user.stop': { guard: 'stopsPending', actions: { type: 'stopLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) } },
      'llm.stopped': [
        {
          guard: 'isPendingWithQueue',
          actions: ['countStop', 'waitForQueued', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) }, 'takeQueued'],
        },
        { guard: 'secondStop', target: 'handoffRequested.confirming', actions: ['countStop', 'rememberStops'] },
        { guard: 'isPendingStopped', actions: 'countStop' },
      ],
      'llm.failed': [
        {
          guard: 'isPendingWithQueue',
          actions: [
            { type: 'notifyUser', params: { key: 'llmFailed' } },
            assign({ llmFailures: ({ context }) => context.llmFailures + 1 }),
            'waitForQueued', { type: 'askLlm', params: ({ context }) => ({ requestId: context.pendingLlmRequest ?? '' }) },
            'takeQueued',
          ],
        },
        {
          guard: 'isPendingAndTooManyFailures',
          target: 'handoffRequested.confirming',
          actions: ['llmFailed', 'rememberLlmFailures', { type: 'notifyUser', params: { key: 'llmFailedOfferHuman' } }],
        },
        { guard: 'isPendingLlm', actions: ['llmFailed', { type: 'notifyUser', params: { key: 'llmFailed' } }] },
      ],
      'user.requestHuman': { target: 'handoffRequested.posting', actions: 'rememberExplicitRequest' },
      'admin.handoff': { target: 'handoffRequested.posting', actions: 'rememberAdminRequest' },
      'user.start': { actions: { type: 'notifyUser', params: { key: 'greeting' } } },
      'user.backToBot': { actions: { type: 'notifyUser', params: { key: 'alreadyWithBot' } } },
      'operator.take': { target: 'operatorActive', actions: 'assignOperator' },
    },
});
