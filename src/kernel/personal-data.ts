/**
 * Personal data in events: each module names, per event type, the fields of its payload that carry a
 * customer's personal data (who they are, what they said). Those fields are stored encrypted with the
 * customer's own key, which erasure destroys (src/privacy). The registry is data, so domains declare
 * theirs without knowing how it is enforced.
 */

/** A field of `Data` that holds a string, or a string field of one of its object fields: `summary`, `contact.email`. */
export type TextFieldPath<Data> = {
  [Key in keyof Data & string]-?: NonNullable<Data[Key]> extends string
    ? Key
    : NonNullable<Data[Key]> extends readonly unknown[]
      ? never
      : NonNullable<Data[Key]> extends object
        ? `${Key}.${StringKeyOf<NonNullable<Data[Key]>>}`
        : never;
}[keyof Data & string];

type StringKeyOf<Value> = { [Key in keyof Value & string]-?: NonNullable<Value[Key]> extends string ? Key : never }[keyof Value & string];

/**
 * The personal fields of a union of events, by event type: the compiler checks every path names a text
 * field of that type's payload. Types without personal fields are left out.
 */
export type PersonalFieldsOf<Event extends { readonly type: string; readonly data: unknown }> = {
  readonly [Type in Event['type']]?: readonly TextFieldPath<Extract<Event, { readonly type: Type }>['data']>[];
};

/** The registry as the privacy module reads it: paths by event type. */
export type PersonalFieldRegistry = Readonly<Record<string, readonly string[]>>;
