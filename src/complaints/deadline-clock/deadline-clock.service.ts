import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { CLOCK, Clock } from '../../core/clock';
import { DomainRuleViolation } from '../../core/errors';
import { READ_STORE, ReadStore } from '../../core/read-store/read-store';
import { ExecuteStreamCommand } from '../../core/commands/execute-stream-command';
import { COMPLAINT_STREAM, type ComplaintStream } from '../case-commands';
import type { Actor } from '../../kernel/actor';
import type { CaseView } from '../projections/case-view/case-view';
import type { CaseViewTables } from '../projections/case-view/case-view.table';
import { CASE_VIEWS_TABLE, awaitsClock } from '../projections/case-view/case-view.projection';

const DEADLINE_CLOCK: Actor = { id: 'deadline-clock', role: 'system' };
const BATCH = 200;

/**
 * Appends DeadlineBreached when a deadline passes unmet (or was answered only after it passed). It finds candidates in the case views
 * and lets the decider judge each one; the command id is derived from the deadline, so however
 * often a tick (or a restarted service) sees the same breach, it is recorded once.
 */
@Injectable()
export class DeadlineClock implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('DeadlineClock');
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly commandBus: CommandBus,
    @Inject(READ_STORE) private readonly readStore: ReadStore<CaseViewTables>,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(COMPLAINT_STREAM) private readonly complaints: ComplaintStream,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.tick(), this.config.deadlineCheckIntervalMs);
    this.timer.unref();
    void this.tick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: records every breach due by now. Returns how many breaches were newly recorded. */
  tick(): Promise<number> {
    this.running ??= this.recordDueBreaches()
      .catch((error: unknown) => {
        this.logger.error(`Deadline check failed: ${String(error)}`);
        return 0;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  /**
   * Every breach due by now, page by page (keyset on the next due instant and the case id), so that a backlog (a service that
   * was down, back-dated cases) is caught up in one pass, at start as on every tick, rather than 200 cases per interval.
   */
  private async recordDueBreaches(): Promise<number> {
    const now = this.clock.now().toISOString();
    let recorded = 0;
    let after: { dueAt: string; id: string } | undefined;
    for (;;) {
      let query = this.readStore.db
        .selectFrom(CASE_VIEWS_TABLE)
        .select(['id', 'document', 'next_deadline_at'])
        .where('next_deadline_at', '<', now);
      if (after) {
        const { dueAt, id } = after;
        query = query.where((eb) =>
          eb.or([eb('next_deadline_at', '>', dueAt), eb.and([eb('next_deadline_at', '=', dueAt), eb('id', '>', id)])]),
        );
      }
      const rows = await query.orderBy('next_deadline_at').orderBy('id').limit(BATCH).execute();
      for (const row of rows) {
        const view = JSON.parse(row.document) as CaseView;
        for (const deadline of view.deadlines.filter((d) => awaitsClock(d) && d.dueAt < now)) {
          if (await this.recordBreach(view.caseId, deadline.kind, deadline.dueAt, deadline.policyVersion, now)) recorded += 1;
        }
      }
      if (rows.length < BATCH) return recorded;
      const last = rows[rows.length - 1];
      after = { dueAt: last.next_deadline_at as string, id: last.id };
    }
  }

  private async recordBreach(
    caseId: string,
    kind: CaseView['deadlines'][number]['kind'],
    dueAt: string,
    policyVersion: string,
    at: string,
  ): Promise<boolean> {
    const commandId = `deadline:${caseId}:${kind}:${dueAt}`;
    try {
      const result = await this.commandBus.execute(
        new ExecuteStreamCommand(
          this.complaints,
          caseId,
          { type: 'RecordDeadlineBreach', data: { kind, dueAt, policyVersion }, by: DEADLINE_CLOCK, at },
          { commandId, correlationId: commandId, causationId: commandId, actor: DEADLINE_CLOCK, occurredAt: at },
        ),
      );
      return !result.replayed;
    } catch (error) {
      // The view lagged behind the case (the deadline was met meanwhile): the decider said no, rightly.
      if (error instanceof DomainRuleViolation) return false;
      throw error;
    }
  }
}
