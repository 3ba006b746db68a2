import { z } from 'zod';
import { invalidArgument } from './errors';

/**
 * Every transaction takes one JSON argument, parsed here with the same zod schema
 * the gateway uses: anyone with a certificate can call the chaincode directly.
 */
export function parseInput<S extends z.ZodType>(schema: S, raw: string): z.output<S> {
  let value: unknown;
  try {
    value = raw === undefined || raw === '' ? {} : JSON.parse(raw);
  } catch {
    throw invalidArgument('argument is not valid JSON');
  }
  const result = schema.safeParse(value);
  if (!result.success) throw invalidArgument(describeIssues(result.error));
  return result.data;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}
