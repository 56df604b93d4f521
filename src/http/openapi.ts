import { DIALOG_STATES } from '../machines/dialog.machine';
import { banOpenApi } from './openapi.bans';
import { historyOpenApi } from './openapi.history';
import { statsOpenApi } from './openapi.stats';

/**
 * The admin API's OpenAPI 3.0 document, served at `/api/openapi.json`. Every answer has a schema,
 * errors included; test/http/openapi.test.ts runs a third-party validator and linter over it.
 */

const json = (schema: object) => ({ 'application/json': { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: object = {}) => ({ type, nullable: true, ...extra });
const dateTime = { type: 'string', format: 'date-time' } as const;

const error = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          description:
            'Stable: UNAUTHORIZED, ADMIN_API_DISABLED, VALIDATION_FAILED, MALFORMED_JSON, NOT_FOUND, METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, ' +
            'DIALOG_NOT_FOUND, DIALOG_CLOSED, INVALID_IN_STATE, INTERNAL',
        },
        message: { type: 'string', description: 'What went wrong, in words' },
      },
    },
  },
};

const user = {
  type: 'object',
  required: ['firstName', 'username', 'languageCode'],
  properties: { firstName: nullable('string'), username: nullable('string'), languageCode: nullable('string') },
};

const dialog = {
  type: 'object',
  required: ['id', 'chatId', 'state', 'handoffReason', 'handoffLayer', 'user', 'createdAt', 'updatedAt', 'closedAt'],
  properties: {
    id: { type: 'integer', description: 'The dialog number operators see (/take <id>)' },
    chatId: { type: 'integer' },
    state: { type: 'string', enum: DIALOG_STATES },
    handoffReason: nullable('string'),
    handoffLayer: nullable('string', { enum: ['explicit', 'rules', 'llm', 'failure', 'admin', null] }),
    user: ref('User'),
    createdAt: dateTime,
    updatedAt: dateTime,
    closedAt: { ...dateTime, nullable: true },
  },
};

const dialogDetail = {
  allOf: [
    ref('Dialog'),
    {
      type: 'object',
      required: ['stateValue', 'operator'],
      properties: {
        stateValue: {
          description: 'The full XState state value, e.g. "botActive" or {"handoffRequested": "posting"}',
          oneOf: [{ type: 'string' }, { type: 'object', additionalProperties: true }],
        },
        operator: {
          type: 'object',
          nullable: true,
          required: ['id', 'name'],
          properties: { id: { type: 'integer', description: 'Telegram user id' }, name: { type: 'string' } },
        },
      },
    },
  ],
};

const message = {
  type: 'object',
  required: ['id', 'sender', 'text', 'media', 'telegram_message_id', 'created_at'],
  properties: {
    id: { type: 'integer' },
    sender: { type: 'string', enum: ['user', 'bot', 'operator', 'system', 'note'], description: 'note: an operator\'s private note, never sent to the user' },
    text: nullable('string'),
    media: {
      type: 'object',
      nullable: true,
      description: 'A photo, document, voice, sticker…: its kind and Telegram file id',
      properties: { kind: { type: 'string' }, fileId: { type: 'string' } },
    },
    telegram_message_id: nullable('integer'),
    created_at: dateTime,
  },
};

const transition = {
  type: 'object',
  required: ['from_state', 'to_state', 'event', 'reason', 'layer', 'actor', 'created_at'],
  properties: {
    from_state: nullable('string', { description: 'null for the first step of a dialog' }),
    to_state: { type: 'string' },
    event: { type: 'string', description: 'e.g. user.message, operator.take, timer.operatorWait' },
    reason: nullable('string'),
    layer: nullable('string'),
    actor: { type: 'string', description: 'user, operator:<telegram id>, llm, timer, admin, system' },
    created_at: dateTime,
  },
};

const rejectedUpdate = {
  type: 'object',
  required: ['id', 'updateId', 'kind', 'reason', 'detail', 'receivedAt'],
  properties: {
    id: { type: 'integer' },
    updateId: nullable('integer', { description: "Telegram's update_id" }),
    kind: { type: 'string', description: 'message, callback_query… (other for a field the Bot API does not define)' },
    reason: { type: 'string', enum: ['too_deep', 'invalid', 'unstorable'] },
    detail: { type: 'string', description: 'The first problem found, never the value itself' },
    receivedAt: dateTime,
  },
};

const setAsideUpdate = {
  type: 'object',
  required: ['updateId', 'lane', 'attempts', 'lastError', 'setAsideAt'],
  properties: {
    updateId: { type: 'integer', description: "Telegram's update_id" },
    lane: { type: 'string', description: 'chat:<id>: the chat whose update it was' },
    attempts: { type: 'integer' },
    lastError: nullable('string', { description: 'Why its last attempt failed' }),
    setAsideAt: dateTime,
  },
};

const knowledgeEntry = {
  type: 'object',
  required: ['id', 'file', 'heading', 'lang', 'tags', 'text', 'indexedAt'],
  properties: {
    id: { type: 'string', description: '<file name>#<heading>' },
    file: { type: 'string' },
    heading: { type: 'string' },
    lang: { type: 'string', enum: ['ru', 'en'] },
    tags: { type: 'array', items: { type: 'string' } },
    text: { type: 'string' },
    indexedAt: dateTime,
  },
};

const stateChange = {
  type: 'object',
  required: ['dialog'],
  properties: {
    dialog: { type: 'object', required: ['id', 'state'], properties: { id: { type: 'integer' }, state: { type: 'string', enum: DIALOG_STATES } } },
  },
};

const errorAnswer = (description: string) => ({ description, content: json(ref('Error')) });
const errors = {
  '400': errorAnswer('Invalid input (VALIDATION_FAILED, MALFORMED_JSON)'),
  '401': errorAnswer('Missing or wrong token (UNAUTHORIZED), or the API is off (ADMIN_API_DISABLED)'),
  default: errorAnswer('Any other error, in the same shape: 405 METHOD_NOT_ALLOWED, 500 INTERNAL'),
};
const bans = banOpenApi({ json, ref, nullable, dateTime, errorAnswer, errors });
const onDialog = {
  ...errors,
  '404': errorAnswer('No such dialog (DIALOG_NOT_FOUND)'),
};
const changesDialog = {
  ...onDialog,
  '409': errorAnswer('The dialog is closed (DIALOG_CLOSED) or its state refuses this (INVALID_IN_STATE)'),
};
const withBody = { '413': errorAnswer('The body is over 64 KB (PAYLOAD_TOO_LARGE)') };

const idParameter = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'The dialog number: a positive decimal integer (0x10, 1e3, +16 or 16.0 are refused)',
  schema: { type: 'integer', minimum: 1 },
};
const pageParameters = [
  { name: 'limit', in: 'query', description: 'How many, newest first', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
  { name: 'before', in: 'query', description: 'Only those with a smaller id (paging)', schema: { type: 'integer', minimum: 1 } },
];
const history = historyOpenApi({ json, ref, nullable, dateTime, errors, pageParameters });
const stats = statsOpenApi({ json, ref, nullable, errors });

/** The admin API's OpenAPI 3.0 document, served at `/api/openapi.json`. */
export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Support bot admin API',
    version: '1.1.0',
    description:
      'Operate dialogs of the Telegram support bot. Every call needs `Authorization: Bearer $ADMIN_TOKEN`, except this document itself. ' +
      'Every error is `{"error": {"code", "message"}}`.',
    license: { name: 'MIT', url: 'https://opensource.org/licenses/MIT' },
  },
  servers: [{ url: '/api', description: 'The service (the admin listener when ADMIN_PORT is set)' }],
  security: [{ bearer: [] }],
  tags: [
    { name: 'dialogs', description: 'Dialogs between users, the bot and operators' },
    { name: 'updates', description: 'Telegram updates the service set aside' },
    { name: 'bans', description: 'Users banned by operators (/ban): one polite answer a day, nothing else' },
    { name: 'stats', description: 'Support figures: handoffs, waits, handling times, ratings' },
    { name: 'meta', description: 'This document' },
  ],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
    schemas: {
      Error: error,
      User: user,
      Dialog: dialog,
      DialogDetail: dialogDetail,
      Message: message,
      Transition: transition,
      RejectedUpdate: rejectedUpdate,
      SetAsideUpdate: setAsideUpdate,
      Ban: bans.schema,
      PastDialog: history.schema,
      ...stats.schemas,
      KnowledgeEntry: knowledgeEntry,
      StateChange: stateChange,
    },
  },
  paths: {
    '/dialogs': {
      get: {
        operationId: 'listDialogs',
        tags: ['dialogs'],
        summary: 'List dialogs, newest first',
        parameters: [{ name: 'state', in: 'query', description: 'Only dialogs in this state', schema: { type: 'string', enum: DIALOG_STATES } }, ...pageParameters],
        responses: {
          '200': {
            description: 'Dialogs',
            content: json({ type: 'object', required: ['dialogs'], properties: { dialogs: { type: 'array', items: ref('Dialog') } } }),
          },
          ...errors,
        },
      },
    },
    '/dialogs/{id}': {
      get: {
        operationId: 'showDialog',
        tags: ['dialogs'],
        summary: 'One dialog with its messages and transitions',
        parameters: [idParameter],
        responses: {
          '200': {
            description: 'The dialog',
            content: json({
              type: 'object',
              required: ['dialog', 'messages', 'transitions'],
              properties: {
                dialog: ref('DialogDetail'),
                messages: { type: 'array', items: ref('Message') },
                transitions: { type: 'array', items: ref('Transition') },
              },
            }),
          },
          ...onDialog,
        },
      },
    },
    '/dialogs/{id}/handoff': {
      post: {
        operationId: 'handOffDialog',
        tags: ['dialogs'],
        summary: 'Hand the dialog to the operators (posts a ticket)',
        parameters: [idParameter],
        requestBody: {
          required: false,
          content: json({
            type: 'object',
            additionalProperties: false,
            properties: { reason: { type: 'string', pattern: '^[a-z0-9_]{1,40}$', default: 'manual' } },
          }),
        },
        responses: { '200': { description: 'Handed off', content: json(ref('StateChange')) }, ...changesDialog, ...withBody },
      },
    },
    '/dialogs/{id}/close': {
      post: {
        operationId: 'closeDialog',
        tags: ['dialogs'],
        summary: 'Close the dialog; the user is told',
        parameters: [idParameter],
        responses: { '200': { description: 'Closed', content: json(ref('StateChange')) }, ...changesDialog },
      },
    },
    '/dialogs/{id}/messages': {
      post: {
        operationId: 'writeToUser',
        tags: ['dialogs'],
        summary: 'Send a message to the user as an operator',
        parameters: [idParameter],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            additionalProperties: false,
            required: ['text'],
            properties: { text: { type: 'string', minLength: 1, maxLength: 4096 } },
          }),
        },
        responses: {
          '201': {
            description: 'Queued as an effect of the dialog (durable, retried) and, normally, sent by the time this answers',
            content: json({
              type: 'object',
              required: ['message'],
              properties: {
                message: {
                  type: 'object',
                  required: ['dialogId', 'queued'],
                  properties: { dialogId: { type: 'integer' }, queued: { type: 'boolean' } },
                },
              },
            }),
          },
          ...changesDialog,
          ...withBody,
        },
      },
    },
    '/knowledge': {
      get: {
        operationId: 'listKnowledge',
        tags: ['knowledge'],
        summary: 'The entries of the knowledge base as indexed (404 KNOWLEDGE_OFF when KNOWLEDGE_DIR=off)',
        parameters: [{ name: 'lang', in: 'query', required: false, schema: { type: 'string', enum: ['ru', 'en'] } }],
        responses: {
          '200': {
            description: 'Entries',
            content: json({ type: 'object', required: ['entries'], properties: { entries: { type: 'array', items: ref('KnowledgeEntry') } } }),
          },
          ...errors,
        },
      },
    },
    '/knowledge/reindex': {
      post: {
        operationId: 'reindexKnowledge',
        tags: ['knowledge'],
        summary: 'Reads KNOWLEDGE_DIR again and rebuilds the index if the files changed (force: even if not)',
        requestBody: {
          required: false,
          content: json({ type: 'object', additionalProperties: false, properties: { force: { type: 'boolean', default: false } } }),
        },
        responses: {
          '200': {
            description: 'The index now',
            content: json({
              type: 'object',
              required: ['index'],
              properties: {
                index: { type: 'object', required: ['changed', 'entries'], properties: { changed: { type: 'boolean' }, entries: { type: 'integer' } } },
              },
            }),
          },
          ...errors,
        },
      },
    },
    '/updates/set-aside': {
      get: {
        operationId: 'listSetAsideUpdates',
        tags: ['updates'],
        summary: 'Updates that failed their few quick attempts in a worker and were set aside so their chat could go on (the operators were told), newest first',
        parameters: pageParameters,
        responses: {
          '200': {
            description: 'Set-aside updates',
            content: json({ type: 'object', required: ['updates'], properties: { updates: { type: 'array', items: ref('SetAsideUpdate') } } }),
          },
          ...errors,
        },
      },
    },
    '/rejected-updates': {
      get: {
        operationId: 'listRejectedUpdates',
        tags: ['updates'],
        summary: 'Updates acknowledged to Telegram but set aside (they did not fit the schema, or PostgreSQL refused them), newest first',
        parameters: pageParameters,
        responses: {
          '200': {
            description: 'Rejected updates',
            content: json({
              type: 'object',
              required: ['rejectedUpdates'],
              properties: { rejectedUpdates: { type: 'array', items: ref('RejectedUpdate') } },
            }),
          },
          ...errors,
        },
      },
    },
    ...history.paths,
    ...bans.paths,
    ...stats.paths,
    '/openapi.json': {
      get: {
        operationId: 'openApiDocument',
        tags: ['meta'],
        summary: 'This document (no token needed: it holds no data)',
        security: [],
        responses: {
          '200': { description: 'The OpenAPI document', content: json({ type: 'object', additionalProperties: true }) },
          '405': errorAnswer('A method other than GET (METHOD_NOT_ALLOWED)'),
        },
      },
    },
  },
};
