import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';
import { ID_PATTERN } from '../identifiers';

/**
 * Composite decorators for DTO fields: each applies the validation and the OpenAPI description
 * together, so the two cannot drift apart.
 */
interface FieldOptions {
  readonly description: string;
  readonly optional?: boolean;
  readonly example?: unknown;
}

function documented(options: FieldOptions, schema: Record<string, unknown>): PropertyDecorator[] {
  const doc = { description: options.description, example: options.example, ...schema };
  // Optional means absent, never null: a null would slip past the rules as a value.
  return options.optional ? [ApiPropertyOptional(doc), ValidateIf((_, value) => value !== undefined)] : [ApiProperty(doc)];
}

/** Free text, trimmed of nothing but required to hold something. */
export function TextField(options: FieldOptions & { readonly maxLength: number }) {
  return applyDecorators(
    ...documented(options, { type: String, maxLength: options.maxLength, minLength: 1 }),
    IsString(),
    IsNotEmpty(),
    MaxLength(options.maxLength),
  );
}

/** An identifier chosen by a client or another system: letters, digits and `-_.:`. */
export function IdField(options: FieldOptions) {
  return applyDecorators(
    ...documented(options, { type: String, maxLength: 128, pattern: ID_PATTERN.source }),
    IsString(),
    Matches(ID_PATTERN, { message: '$property may hold only letters, digits and - _ . : (1 to 128 characters)' }),
  );
}

export function EnumField(values: readonly string[], options: FieldOptions) {
  return applyDecorators(
    ...documented(options, { enum: values, type: String }),
    IsIn(values, { message: `$property must be one of: ${values.join(', ')}` }),
  );
}

/** An instant: ISO-8601 with a time and an explicit offset (e.g. `2026-11-23T10:00:00Z`). */
export function TimestampField(options: FieldOptions) {
  return applyDecorators(
    ...documented(options, { type: String, format: 'date-time' }),
    IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be an ISO-8601 date-time' }),
    Matches(/T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/, {
      message: '$property must include a time and a UTC offset, e.g. 2026-11-23T10:00:00Z',
    }),
  );
}

export function IntegerField(options: FieldOptions & { readonly min: number; readonly max: number }) {
  return applyDecorators(
    ...documented(options, { type: 'integer', minimum: options.min, maximum: options.max }),
    IsInt(),
    Min(options.min),
    Max(options.max),
  );
}

/** An email address (RFC 5321 length limit; the address is checked for shape only, never contacted). */
export function EmailField(options: FieldOptions) {
  return applyDecorators(
    ...documented(options, { type: String, format: 'email', maxLength: 254 }),
    IsString(),
    MaxLength(254),
    IsEmail({}, { message: '$property must be an email address, e.g. name@example.com' }),
  );
}

/** A telephone number as people write it: an optional leading +, then 6 to 15 digits, spaces, dots, dashes and brackets allowed between. */
export function PhoneField(options: FieldOptions) {
  return applyDecorators(
    ...documented(options, { type: String, maxLength: 32, pattern: PHONE_PATTERN.source }),
    IsString(),
    MaxLength(32),
    Matches(PHONE_PATTERN, {
      message: '$property must be a telephone number: digits, optionally a leading +, spaces, dots, dashes or brackets (6 to 15 digits)',
    }),
  );
}
const PHONE_PATTERN = /^\+?(?:[ .()-]*\d){6,15}[ .()-]*$/;

export function BooleanField(options: FieldOptions) {
  return applyDecorators(...documented(options, { type: Boolean }), IsBoolean());
}

export function NestedField(type: () => new () => object, options: FieldOptions) {
  // Swagger resolves a lazy type only through a function named `type`.
  return applyDecorators(...documented(options, { type: () => type() }), ValidateNested(), Type(type));
}

/** ISO 4217 alphabetic code known to the runtime's Intl data. */
export function IsCurrencyCode(validationOptions?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: '$property must be an ISO 4217 currency code such as GBP, EUR or USD', ...validationOptions },
      validator: { validate: (value: unknown) => typeof value === 'string' && CURRENCIES.has(value) },
    });
}
const CURRENCIES = new Set<string>(Intl.supportedValuesOf('currency'));

/** Money: integer minor units (pence, cents) and the currency they are in. Never a float. */
export class MoneyDto {
  @IntegerField({
    description: 'Amount in integer minor units (e.g. 1999 for £19.99)',
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    example: 1999,
  })
  amount!: number;

  @ApiProperty({ description: 'ISO 4217 currency code', example: 'GBP' })
  @IsCurrencyCode()
  currency!: string;
}

/** A body that carries no fields: the action itself is the information. */
export class EmptyBodyDto {}
