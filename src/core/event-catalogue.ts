import type { DomainEvent } from './decider';

/** Upgrades one stored payload from `fromVersion` to `fromVersion + 1`. Pure. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a stored payload of an older schema has no type of its own
export type Upcaster = (data: any) => unknown;

/**
 * The upcasters of one event type by the version they upgrade from. An event stored at version 1
 * of a type whose current version is 3 passes through [1] then [2]; a type that never changed has none.
 */
export type UpcasterChain = Readonly<Record<number, Upcaster>>;

/** Upcaster chains by event type. */
export type UpcasterRegistry = Readonly<Record<string, UpcasterChain>>;

/**
 * The events of a stream kind (or of several): every event type it has, each with its upcaster chain
 * (its current schema version is one past the last upcaster). Listing every type of `E` is what lets
 * a store read events as `E`: a type missing here is a compile error, an event of a type not listed
 * is refused when read.
 */
export type EventCatalogue<E extends DomainEvent> = { readonly [Type in E['type']]: UpcasterChain };
