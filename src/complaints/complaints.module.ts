import { Module } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { provideStreamCommands } from '../core/http/stream-commands';
import { CASE_COMMANDS, COMPLAINT_POLICY, COMPLAINT_STREAM, complaintStream, type ComplaintStream } from './case-commands';
import { ReceiveComplaintController } from './commands/receive-complaint/receive-complaint.http';
import { AcknowledgeComplaintController } from './commands/acknowledge-complaint/acknowledge-complaint.http';
import { LogCustomerContactController } from './commands/log-customer-contact/log-customer-contact.http';
import { AssignCaseController } from './commands/assign-case/assign-case.http';
import { EscalateCaseController } from './commands/escalate-case/escalate-case.http';
import { AssessComplaintController } from './commands/assess-complaint/assess-complaint.http';
import { IssueApologyController } from './commands/issue-apology/issue-apology.http';
import { ExplainDecisionController } from './commands/explain-decision/explain-decision.http';
import { CommunicateResolutionPlanController } from './commands/communicate-resolution-plan/communicate-resolution-plan.http';
import { RecordPlanResponseController } from './commands/record-plan-response/record-plan-response.http';
import { OfferGoodwillController } from './commands/offer-goodwill/offer-goodwill.http';
import { ApproveGoodwillController } from './commands/approve-goodwill/approve-goodwill.http';
import { DeclineGoodwillController } from './commands/decline-goodwill/decline-goodwill.http';
import { RecordGoodwillResponseController } from './commands/record-goodwill-response/record-goodwill-response.http';
import { FulfilGoodwillController } from './commands/fulfil-goodwill/fulfil-goodwill.http';
import { ApplySystemFixController } from './commands/apply-system-fix/apply-system-fix.http';
import { ResolveComplaintController } from './commands/resolve-complaint/resolve-complaint.http';
import { CompleteFollowUpController } from './commands/complete-follow-up/complete-follow-up.http';
import { CloseCaseController } from './commands/close-case/close-case.http';
import { ReopenCaseController } from './commands/reopen-case/reopen-case.http';
import { WithdrawComplaintController } from './commands/withdraw-complaint/withdraw-complaint.http';
import { RecordDeadlineExceptionController } from './commands/record-deadline-exception/record-deadline-exception.http';
import { SendHoldingResponseController } from './commands/send-holding-response/send-holding-response.http';
import { SendIdrDelayNoticeController } from './commands/send-idr-delay-notice/send-idr-delay-notice.http';
import { RouteCaseController } from './commands/route-case/route-case.http';
import { TagCaseController } from './commands/tag-case/tag-case.http';
import { UntagCaseController } from './commands/untag-case/untag-case.http';
import { AddInternalNoteController } from './commands/add-internal-note/add-internal-note.http';
import { FlagVulnerabilityController } from './commands/flag-vulnerability/flag-vulnerability.http';
import { ClearVulnerabilityController } from './commands/clear-vulnerability/clear-vulnerability.http';
import { DeadlineClock } from './deadline-clock/deadline-clock.service';
import { createComplaintPolicy, type ComplaintPolicy } from './domain/complaint-policy';
import { CaseEventsController } from './queries/case-events/case-events.controller';
import { CustomerCasesController } from './queries/customer-cases/customer-cases.controller';
import { CustomerCasesHandler } from './queries/customer-cases/customer-cases.query';
import { GetCaseController } from './queries/get-case/get-case.controller';
import { GetCaseHandler } from './queries/get-case/get-case.query';
import { ListCasesController } from './queries/list-cases/list-cases.controller';
import { ListCasesHandler } from './queries/list-cases/list-cases.query';
import { QueueLiveController } from './queries/queue-live/queue-live.controller';
import { QueueSummaryController } from './queries/queue-summary/queue-summary.controller';
import { QueueSummaryHandler } from './queries/queue-summary/queue-summary.query';
import { TaxonomyController } from './queries/taxonomy/taxonomy.controller';
import { BulkActionsController } from './bulk/bulk-actions.controller';
import { AddAttachmentController } from './commands/add-attachment/add-attachment.http';
import { AttachmentController } from './queries/attachment/attachment.controller';
import { ATTACHMENT_STORE, FileAttachmentStore } from './attachments/attachment-store';
import { AttachmentUploads, ReceiveAttachmentInterceptor } from './attachments/attachment-uploads';
import { EraseAttachments } from './attachments/erase-attachments';
import { RenderFinalResponseInterceptor } from './letters/final-response.interceptor';
import { IssueFinalResponseController } from './commands/issue-final-response/issue-final-response.http';
import { FinalResponseController } from './queries/final-response/final-response.controller';

/** Every command route of the case lifecycle, in its order: one controller per use case. */
export const CASE_COMMAND_CONTROLLERS = [
  ReceiveComplaintController,
  AcknowledgeComplaintController,
  LogCustomerContactController,
  AssignCaseController,
  EscalateCaseController,
  AssessComplaintController,
  IssueApologyController,
  ExplainDecisionController,
  CommunicateResolutionPlanController,
  RecordPlanResponseController,
  OfferGoodwillController,
  ApproveGoodwillController,
  DeclineGoodwillController,
  RecordGoodwillResponseController,
  FulfilGoodwillController,
  ApplySystemFixController,
  ResolveComplaintController,
  CompleteFollowUpController,
  CloseCaseController,
  ReopenCaseController,
  WithdrawComplaintController,
  RecordDeadlineExceptionController,
  SendHoldingResponseController,
  SendIdrDelayNoticeController,
  RouteCaseController,
  TagCaseController,
  UntagCaseController,
  AddInternalNoteController,
  FlagVulnerabilityController,
  ClearVulnerabilityController,
  IssueFinalResponseController,
  AddAttachmentController,
] as const;

@Module({
  controllers: [
    BulkActionsController,
    ...CASE_COMMAND_CONTROLLERS,
    ListCasesController,
    GetCaseController,
    CaseEventsController,
    CustomerCasesController,
    QueueSummaryController,
    QueueLiveController,
    TaxonomyController,
    FinalResponseController,
    AttachmentController,
  ],
  providers: [
    {
      provide: COMPLAINT_POLICY,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) =>
        createComplaintPolicy({
          reopenWindowDays: config.reopenWindowDays,
          topEscalationLevel: config.topEscalationLevel,
          goodwillLimits: config.goodwillLimits,
          calendars: config.deadlineCalendars,
          taxonomies: config.taxonomies,
        }),
    },
    { provide: COMPLAINT_STREAM, inject: [COMPLAINT_POLICY], useFactory: (policy: ComplaintPolicy) => complaintStream(policy) },
    provideStreamCommands(CASE_COMMANDS, (stream: ComplaintStream) => stream, [COMPLAINT_STREAM]),
    GetCaseHandler,
    ListCasesHandler,
    CustomerCasesHandler,
    QueueSummaryHandler,
    DeadlineClock,
    { provide: ATTACHMENT_STORE, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new FileAttachmentStore(config.dataDir) },
    AttachmentUploads,
    ReceiveAttachmentInterceptor,
    EraseAttachments,
    RenderFinalResponseInterceptor,
  ],
  exports: [CASE_COMMANDS],
})
export class ComplaintsModule {}
