/**
 * The admin API's OpenAPI document passes a third-party validator (@apidevtools/swagger-parser)
 * and linter (@redocly/openapi-core, its `recommended` rules) with no errors and no warnings,
 * and every operation has a schema for each of its answers.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { openApiDocument } from '../../src/http/openapi';

const copy = () => JSON.parse(JSON.stringify(openApiDocument)) as Record<string, any>;

const ROOT = path.join(__dirname, '..', '..');

describe('the OpenAPI document', () => {
  it("is valid OpenAPI 3.0 for swagger-parser and passes Redocly's recommended rules without a problem", async () => {
    // Both tools are ES modules: they run in a process of their own (see openapi.lint.ts).
    const { stdout } = await promisify(execFile)(path.join(ROOT, 'node_modules/.bin/tsx'), [path.join(__dirname, 'openapi.lint.ts')], { cwd: ROOT });
    expect(JSON.parse(stdout)).toEqual({ valid: true, problems: [] });
  });

  it('gives every answer of every operation a JSON schema', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(copy().paths as Record<string, Record<string, any>>)) {
      for (const [method, operation] of Object.entries(item)) {
        for (const [status, answer] of Object.entries(operation.responses as Record<string, any>)) {
          if (!answer.content?.['application/json']?.schema) missing.push(`${method.toUpperCase()} ${path} ${status}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });
});
