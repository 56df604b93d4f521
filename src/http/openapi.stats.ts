/** The helpers of the OpenAPI document that the stats' part uses (passed in, so they exist once, in openapi.ts). */
interface Helpers {
  json: (schema: object) => object;
  ref: (name: string) => object;
  nullable: (type: string, extra?: object) => object;
  errors: object;
}

/**
 * The support figures in the admin API's OpenAPI document (`GET /api/stats`: handoffs, median
 * wait before /take, median handling time, ratings by operator), kept apart so openapi.ts stays
 * a readable size. `schemas` are the named components it refers to.
 */
export function statsOpenApi({ json, ref, nullable, errors }: Helpers) {
  const distribution = {
    type: 'object',
    description: 'How many ratings of each score',
    required: ['1', '2', '3', '4', '5'],
    properties: Object.fromEntries(['1', '2', '3', '4', '5'].map((s) => [s, { type: 'integer', minimum: 0 }])),
  };
  const ratings = {
    count: { type: 'integer', minimum: 0 },
    average: nullable('number', { minimum: 1, maximum: 5, description: 'Mean score, rounded to 2 decimals; null without ratings' }),
    distribution,
  };
  const median = (what: string) => ({
    type: 'object',
    required: ['count', 'medianSeconds'],
    properties: {
      count: { type: 'integer', minimum: 0, description: `How many ${what} in the range` },
      medianSeconds: nullable('number', { minimum: 0, description: 'The median (percentile_cont 0.5) in seconds; null when there were none' }),
    },
  });
  const operatorRatings = {
    type: 'object',
    required: ['operatorId', 'operatorName', 'count', 'average', 'distribution'],
    properties: {
      operatorId: nullable('integer', { description: "The operator's Telegram id (who had the dialog when it was closed)" }),
      operatorName: nullable('string'),
      ...ratings,
    },
  };
  const stats = {
    type: 'object',
    required: ['from', 'to', 'handoffs', 'waitBeforeTake', 'handling', 'ratings'],
    properties: {
      from: { type: 'string', format: 'date', description: 'First day of the range (UTC), included' },
      to: { type: 'string', format: 'date', description: 'Last day of the range (UTC), included' },
      handoffs: { type: 'integer', minimum: 0, description: 'Dialogs handed to the operators in the range' },
      waitBeforeTake: { ...median('takes'), description: 'From the handoff (or a /release back to the queue) to the /take; counted by the take' },
      handling: { ...median('operator closes'), description: "From the /take to the operator's /close; counted by the close" },
      ratings: {
        type: 'object',
        description: 'Ratings users gave after an operator closed their dialog (CSAT), counted by the press',
        required: ['count', 'average', 'distribution', 'byOperator'],
        properties: { ...ratings, byOperator: { type: 'array', items: ref('OperatorRatings'), description: 'Most rated first' } },
      },
    },
  };
  const day = (name: string, description: string) => ({
    name,
    in: 'query',
    description,
    schema: { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', example: '2026-12-01' },
  });
  const paths = {
    '/stats': {
      get: {
        operationId: 'supportStats',
        tags: ['stats'],
        summary: 'Support figures over a range of days: handoffs, median wait before /take, median handling time, ratings by operator',
        parameters: [
          day('from', 'First day (UTC), included; default: 29 days before `to`'),
          day('to', 'Last day (UTC), included; default: today. At most 366 days after `from`'),
        ],
        responses: {
          '200': { description: 'The figures', content: json(ref('SupportStats')) },
          ...errors,
        },
      },
    },
  };
  return { schemas: { SupportStats: stats, OperatorRatings: operatorRatings }, paths };
}
