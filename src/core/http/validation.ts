import { ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';
import { FieldError, RequestValidationError } from './problem-details';

/** Flattens class-validator's tree into `orderValue.amount: must be an integer`-style field errors. */
export function toFieldErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message: withoutPropertyPath(message, error.property) }));
    return [...own, ...toFieldErrors(error.children ?? [], field)];
  });
}

function withoutPropertyPath(message: string, property: string): string {
  return message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
}

type MetadataStorage = ReturnType<typeof getMetadataStorage>;
type TargetMetadatas = ReturnType<MetadataStorage['getTargetValidationMetadatas']>;
const remembered = new WeakSet<MetadataStorage>();

/**
 * class-validator looks a DTO's rules up on every validation by scanning every decorated class of the process for
 * ancestors (hundreds here): the answer only changes when a decorator registers a rule, so it is kept per class and
 * options until then. Each caller gets its own copy of the list, as before.
 */
export function rememberValidationMetadata(storage: MetadataStorage = getMetadataStorage()): void {
  if (remembered.has(storage)) return;
  remembered.add(storage);
  const lookUp = storage.getTargetValidationMetadatas.bind(storage);
  const addRule = storage.addValidationMetadata.bind(storage);
  let byTarget = new Map<unknown, Map<string, TargetMetadatas>>();
  storage.addValidationMetadata = (metadata) => {
    byTarget = new Map();
    addRule(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const options = JSON.stringify([schema, always, strictGroups, groups]);
    let forTarget = byTarget.get(target);
    if (!forTarget) byTarget.set(target, (forTarget = new Map()));
    let found = forTarget.get(options);
    if (!found) forTarget.set(options, (found = lookUp(target, schema, always, strictGroups, groups)));
    return found.slice();
  };
}

export function createValidationPipe(): ValidationPipe {
  rememberValidationMetadata();
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    forbidUnknownValues: true,
    // CommandBody() is a custom parameter decorator; its value must be validated like @Body().
    validateCustomDecorators: true,
    exceptionFactory: (errors) => new RequestValidationError(toFieldErrors(errors)),
  });
}
