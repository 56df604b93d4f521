/** The helpers of the OpenAPI document that the bans' part uses (passed in, so they exist once, in openapi.ts). */
interface Helpers {
  json: (schema: object) => object;
  ref: (name: string) => object;
  nullable: (type: string, extra?: object) => object;
  dateTime: object;
  errorAnswer: (description: string) => object;
  errors: object;
}

/**
 * The bans' part of the admin API's OpenAPI document (`GET /api/bans`, `DELETE /api/bans/{userId}`),
 * kept apart so openapi.ts stays a readable size.
 */
export function banOpenApi({ json, ref, nullable, dateTime, errorAnswer, errors }: Helpers) {
  const schema = {
    type: 'object',
    required: ['userId', 'username', 'reason', 'bannedBy', 'bannedByName', 'dialogId', 'createdAt'],
    properties: {
      userId: { type: 'integer', description: "The user's Telegram id" },
      username: nullable('string'),
      reason: nullable('string', { description: 'What the operator wrote after /ban' }),
      bannedBy: nullable('integer', { description: "The operator's Telegram id" }),
      bannedByName: nullable('string'),
      dialogId: nullable('integer', { description: 'The dialog the ban was given in' }),
      createdAt: dateTime,
    },
  };
  const paths = {
    '/bans': {
      get: {
        operationId: 'listBans',
        tags: ['bans'],
        summary: 'Banned users, newest ban first (at most 200)',
        responses: {
          '200': { description: 'Bans', content: json({ type: 'object', required: ['bans'], properties: { bans: { type: 'array', items: ref('Ban') } } }) },
          ...errors,
        },
      },
    },
    '/bans/{userId}': {
      delete: {
        operationId: 'liftBan',
        tags: ['bans'],
        summary: "Lift a user's ban: their next message is answered as anyone's",
        parameters: [{ name: 'userId', in: 'path', required: true, description: "The user's Telegram id", schema: { type: 'integer', minimum: 1 } }],
        responses: {
          '200': { description: 'Lifted', content: json({ type: 'object', required: ['lifted'], properties: { lifted: { type: 'integer' } } }) },
          '404': errorAnswer('The user is not banned (BAN_NOT_FOUND)'),
          ...errors,
        },
      },
    },
  };
  return { schema, paths };
}
