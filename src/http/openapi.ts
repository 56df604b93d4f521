import { DIALOG_STATES } from '../machines/dialog.machine';

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
          description: 'Stable: UNAUTHORIZED, ADMIN_API_DISABLED, VALIDATION_FAILED, MALFORMED_JSON, DIALOG_NOT_FOUND, DIALOG_CLOSED, INVALID_IN_STATE, USER_BLOCKED_BOT, TELEGRAM_FAILED, INTERNAL',
        },
        message: { type: 'string' },
      },
    },
  },
} as const;

const dialog = {
  type: 'object',
  properties: {
    id: { type: 'integer', description: 'The dialog number operators see (/take <id>)' },
    chatId: { type: 'integer' },
    state: { type: 'string', enum: DIALOG_STATES },
    handoffReason: { type: 'string', nullable: true },
    handoffLayer: { type: 'string', nullable: true, enum: ['explicit', 'rules', 'llm', 'failure', 'admin', null] },
    user: {
      type: 'object',
      properties: { firstName: { type: 'string', nullable: true }, username: { type: 'string', nullable: true }, languageCode: { type: 'string', nullable: true } },
    },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    closedAt: { type: 'string', format: 'date-time', nullable: true },
  },
} as const;

const errors = {
  '400': { description: 'Invalid input', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '401': { description: 'Missing or wrong token', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '404': { description: 'No such dialog', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
  '409': { description: 'The dialog is closed or its state refuses this', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
};
const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const stateChange = {
  description: 'Done',
  content: {
    'application/json': {
      schema: { type: 'object', properties: { dialog: { type: 'object', properties: { id: { type: 'integer' }, state: { type: 'string', enum: DIALOG_STATES } } } } },
    },
  },
};

/** The admin API's OpenAPI 3.0 document, served at `/api/openapi.json`. */
export const openApiDocument = {
  openapi: '3.0.3',
  info: {
    title: 'Support bot admin API',
    version: '1.0.0',
    description: 'Operate dialogs of the Telegram support bot. Every call needs `Authorization: Bearer $ADMIN_TOKEN`.',
  },
  servers: [{ url: '/api' }],
  security: [{ bearer: [] }],
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: { Error: error, Dialog: dialog },
  },
  paths: {
    '/dialogs': {
      get: {
        summary: 'List dialogs, newest first',
        parameters: [
          { name: 'state', in: 'query', schema: { type: 'string', enum: DIALOG_STATES } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
          { name: 'before', in: 'query', description: 'Only dialogs with a smaller id (paging)', schema: { type: 'integer' } },
        ],
        responses: {
          '200': {
            description: 'Dialogs',
            content: { 'application/json': { schema: { type: 'object', properties: { dialogs: { type: 'array', items: { $ref: '#/components/schemas/Dialog' } } } } } },
          },
          ...errors,
        },
      },
    },
    '/dialogs/{id}': {
      get: {
        summary: 'One dialog with its messages and transitions',
        parameters: [idParameter],
        responses: { '200': { description: 'The dialog' }, ...errors },
      },
    },
    '/dialogs/{id}/handoff': {
      post: {
        summary: 'Hand the dialog to the operators (posts a ticket)',
        parameters: [idParameter],
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { type: 'object', properties: { reason: { type: 'string', pattern: '^[a-z0-9_]{1,40}$', default: 'manual' } } } } },
        },
        responses: { '200': stateChange, ...errors },
      },
    },
    '/dialogs/{id}/close': {
      post: { summary: 'Close the dialog; the user is told', parameters: [idParameter], responses: { '200': stateChange, ...errors } },
    },
    '/dialogs/{id}/messages': {
      post: {
        summary: 'Send a message to the user as an operator',
        parameters: [idParameter],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', required: ['text'], properties: { text: { type: 'string', minLength: 1, maxLength: 4096 } } },
            },
          },
        },
        responses: {
          '201': { description: 'Sent', content: { 'application/json': { schema: { type: 'object', properties: { message: { type: 'object' } } } } } },
          '502': { description: 'Telegram refused (USER_BLOCKED_BOT, TELEGRAM_FAILED)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
          ...errors,
        },
      },
    },
  },
} as const;
