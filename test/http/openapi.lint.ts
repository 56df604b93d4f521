/**
 * Runs the third-party validator and linter over the admin API's OpenAPI document and prints
 * `{"valid": true|"<message>", "problems": [...]}` on stdout. Both packages are ES modules that
 * jest's CommonJS runtime cannot load, so test/http/openapi.test.ts runs this with tsx.
 *
 *   npx tsx test/http/openapi.lint.ts
 */
import { openApiDocument } from '../../src/http/openapi';

async function main(): Promise<void> {
  // Dynamic imports: this file is CommonJS, @redocly/openapi-core an ES module.
  const { default: SwaggerParser } = await import('@apidevtools/swagger-parser');
  const { createConfig, lintFromString } = await import('@redocly/openapi-core');
  const source = JSON.stringify(openApiDocument);
  let valid: true | string = true;
  try {
    await SwaggerParser.validate(JSON.parse(source));
  } catch (error) {
    valid = error instanceof Error ? error.message : String(error);
  }
  const config = await createConfig({ extends: ['recommended'] });
  const problems = await lintFromString({ source, absoluteRef: '/openapi.json', config });
  const listed = problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`);
  process.stdout.write(`${JSON.stringify({ valid, problems: listed })}\n`);
}

void main();
