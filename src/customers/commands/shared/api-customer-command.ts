import { ApiCommandEndpoint } from '../../../core/http/openapi-shapes';
import { CustomerCommandResponseDto } from './customer-command-response.dto';

/** A customer command endpoint's documentation: the shared command shape, with the customer-stream response. */
export function ApiCustomerCommandEndpoint(successStatus: 200 | 201, idempotency: string) {
  return ApiCommandEndpoint(successStatus, { type: CustomerCommandResponseDto, idempotency });
}
