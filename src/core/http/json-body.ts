import { RequestValidationError } from './problem-details';

/** Deeper bodies are refused: no command needs more than a few levels, and deep trees are a cheap denial of service. */
export const MAX_JSON_DEPTH = 32;

// Keys that class-transformer would skip silently or that could reach an object's prototype.
const FORBIDDEN_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * The one JSON body parser of the API: a body is valid JSON, at most MAX_JSON_DEPTH deep, and
 * holds no key named like an Object.prototype member. Every refusal is a 400 problem.
 */
export function parseJsonBody(text: string): unknown {
  if (text.trim() === '') throw bodyError('body', 'is empty: send a JSON object');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw bodyError('body', `is not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const errors: Array<{ field: string; message: string }> = [];
  const pending: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 1 }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.value === null || typeof node.value !== 'object') continue;
    if (node.depth > MAX_JSON_DEPTH) throw bodyError(node.path || 'body', `nests deeper than ${MAX_JSON_DEPTH} levels`);
    for (const [key, child] of Object.entries(node.value)) {
      const path = node.path ? `${node.path}.${key}` : key;
      if (FORBIDDEN_KEYS.has(key)) errors.push({ field: path, message: `property ${key} should not exist` });
      pending.push({ value: child, path, depth: node.depth + 1 });
    }
  }
  if (errors.length > 0) throw new RequestValidationError(errors);
  return value;
}

function bodyError(field: string, message: string): RequestValidationError {
  return new RequestValidationError([{ field, message }]);
}
