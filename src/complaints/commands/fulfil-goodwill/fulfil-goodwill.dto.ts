import { TextField } from '../shared/dto-fields';

export class FulfilGoodwillDto {
  @TextField({ description: 'Proof of fulfilment in another system, e.g. the refund transaction id or coupon code', optional: true, maxLength: 500, example: 'refund-txn-8842113' })
  reference?: string;
}
