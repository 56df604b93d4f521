/** The helpers of the OpenAPI document that the history's part uses (passed in, so they exist once, in openapi.ts). */
interface Helpers {
  json: (schema: object) => object;
  ref: (name: string) => object;
  nullable: (type: string, extra?: object) => object;
  dateTime: object;
  errors: object;
  pageParameters: object[];
}

/**
 * The users' dialogs in the admin API's OpenAPI document (`GET /api/users/{telegramId}/dialogs`,
 * what `/history` shows operators), kept apart so openapi.ts stays a readable size.
 */
export function historyOpenApi({ json, ref, nullable, dateTime, errors, pageParameters }: Helpers) {
  const schema = {
    type: 'object',
    required: ['id', 'state', 'createdAt', 'closedAt', 'closeReason', 'handoffReason', 'handoffLayer', 'operatorName', 'messages', 'rating', 'ratingComment'],
    properties: {
      id: { type: 'integer', description: 'The dialog number (/take 12)' },
      state: { type: 'string', enum: ['botActive', 'handoffRequested', 'awaitingOperator', 'operatorActive', 'closed'] },
      createdAt: dateTime,
      closedAt: nullable('string', { format: 'date-time' }),
      closeReason: nullable('string', { description: 'How it ended: operator, idle, blocked, admin or banned; null while open' }),
      handoffReason: nullable('string', { description: 'Why it was handed to a person, e.g. rules.request_human' }),
      handoffLayer: nullable('string'),
      operatorName: nullable('string', { description: 'The operator who had it last' }),
      messages: { type: 'integer', description: 'Messages stored in it, notes included' },
      rating: nullable('integer', { minimum: 1, maximum: 5, description: "The user's rating after the operator's /close (CSAT), null when none was given" }),
      ratingComment: nullable('string', { description: 'The comment the user added to the rating' }),
    },
  };
  const paths = {
    '/users/{telegramId}/dialogs': {
      get: {
        operationId: 'listUserDialogs',
        tags: ['dialogs'],
        summary: "A user's dialogs, newest first, with how each ended and why it was handed off (what /history shows)",
        parameters: [{ name: 'telegramId', in: 'path', required: true, description: "The user's Telegram id", schema: { type: 'integer', minimum: 1 } }, ...pageParameters],
        responses: {
          '200': { description: "The user's dialogs", content: json({ type: 'object', required: ['dialogs'], properties: { dialogs: { type: 'array', items: ref('PastDialog') } } }) },
          ...errors,
        },
      },
    },
  };
  return { schema, paths };
}
