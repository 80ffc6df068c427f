import type { Decider, DomainCommand, DomainEvent } from '../decider';
import type { CommandResult } from '../command-handling';
import type { EventCatalogue } from '../event-store/upcasting-event-store';

/**
 * What the one command path needs to know of a kind of stream (complaint cases, customers): how its
 * streams and ids are named and the decider that rules it. Modules declare theirs; core knows none.
 */
export interface StreamKind<Command extends DomainCommand, Event extends DomainEvent, State> {
  /** The name of the stream's id in routes and responses, e.g. `caseId`. */
  readonly idName: string;
  /** The prefix of ids derived for new streams and new entities inside them, e.g. `case`. */
  readonly entity: string;
  streamName(id: string): string;
  readonly decider: Decider<Command, Event, State>;
  /** Every event type the stream may hold, with its upcasters: events are typed where they enter the domain. */
  readonly events: EventCatalogue<Event>;
  /** Where a stream of the kind is read (e.g. `/cases/<id>`): the Location of a 201. */
  location?(id: string): string;
  /**
   * A check the log alone cannot make when a command is answered from its earlier result,
   * e.g. a repeated purchase must say what the original said. Throws to refuse.
   */
  verifyReplay?(result: CommandResult<Event>, command: Command): void;
}
