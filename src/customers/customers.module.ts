import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { RecordChurnController } from './commands/record-churn/record-churn.controller';
import { RecordPurchaseController } from './commands/record-purchase/record-purchase.controller';
import { RecordReferralController } from './commands/record-referral/record-referral.controller';
import { CustomerCommandGateway } from './commands/shared/customer-command.gateway';
import { ExecuteCustomerCommandHandler } from './commands/shared/execute-customer-command';
import { ImportContentTypes } from './imports/import-content-types';
import { ImportPurchasesController } from './imports/import-purchases.controller';

/** The customer stream (`customer-<customerId>`): purchases, referrals and churn, one at a time or imported in bulk. */
@Module({
  imports: [CqrsModule],
  controllers: [RecordPurchaseController, RecordReferralController, RecordChurnController, ImportPurchasesController],
  providers: [CustomerCommandGateway, ExecuteCustomerCommandHandler, ImportContentTypes],
})
export class CustomersModule {}
