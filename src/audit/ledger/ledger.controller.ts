import { Controller, Get, Inject, Query, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { linkHeader, nextPageLink } from '../../core/http/conditional';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { NotFoundError } from '../../core/errors';
import { ApiInteger, ApiIntegerOptional, ApiNullable, ApiProblems } from '../../core/http/openapi-shapes';
import { Public } from '../../core/http/public-route';
import type { LedgerPublicJwk, SignedCheckpoint } from './checkpoint-verification';
import { ConsistencyProofAnswer, InclusionProofAnswer, LedgerService } from './ledger.service';

const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value);
const WHOLE = { message: '$property must be a whole number' };

class InclusionQueryDto {
  @ApiIntegerOptional({ minimum: 0, description: 'The leaf (0-based, in log order); or give stream and revision' })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(0)
  leafIndex?: number;

  @ApiPropertyOptional({ description: "The event's stream, e.g. complaint-<caseId>" })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  stream?: string;

  @ApiIntegerOptional({ minimum: 0, description: "The event's revision in its stream" })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(0)
  revision?: number;

  @ApiIntegerOptional({ minimum: 1, description: "The tree to prove inclusion in (default: the latest signed checkpoint's)" })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(1)
  treeSize?: number;
}

class ConsistencyQueryDto {
  @ApiInteger({ minimum: 1, description: 'The earlier tree size (> 0)' })
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(1)
  from!: number;

  @ApiInteger({ minimum: 1, description: 'The later tree size (>= from)' })
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(1)
  to!: number;
}

class CheckpointsQueryDto {
  @ApiIntegerOptional({ minimum: 0, description: "Checkpoints with a larger tree size than this (the previous page's `next`)", default: 0 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(0)
  after?: number;

  @ApiIntegerOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @Transform(toInteger)
  @IsInt(WHOLE)
  @Min(1)
  @Max(1000)
  limit?: number;
}

const HEX = { description: 'Lowercase hex SHA-256', example: '5b1f0c…' } as const;

class LeafDto {
  @ApiProperty({ ...HEX, description: "The event's chain hash" }) hash!: string;
  @ApiInteger({ minimum: 0 }) index!: number;
  @ApiInteger({ minimum: 0 }) revision!: number;
  @ApiProperty({ example: 'complaint-0b8a5f0e-7c4e-5d0b-9a43-1f2e3d4c5b6a' }) stream!: string;
}

class InclusionProofDto implements InclusionProofAnswer {
  @ApiInteger({ minimum: 0 }) leafIndex!: number;
  @ApiInteger({ minimum: 1 }) treeSize!: number;
  @ApiProperty(HEX) leafHash!: string;
  @ApiProperty({ type: [String], description: 'PATH(leafIndex, D[treeSize]), hex, leaf to root' }) auditPath!: string[];
  @ApiProperty({ type: LeafDto, description: 'What the leaf commits to' }) leaf!: LeafDto;
}

class ConsistencyProofDto implements ConsistencyProofAnswer {
  @ApiInteger({ minimum: 1 }) from!: number;
  @ApiInteger({ minimum: 1 }) to!: number;
  @ApiProperty({ type: [String], description: 'PROOF(from, D[to]), hex' }) path!: string[];
}

class SignedCheckpointDto implements SignedCheckpoint {
  @ApiInteger({ minimum: 0 }) treeSize!: number;
  @ApiProperty({ ...HEX, description: 'RFC 9162 tree head' }) rootHash!: string;
  @ApiProperty({ format: 'date-time' }) issuedAt!: string;
  @ApiProperty({ description: "RFC 7638 thumbprint of the signing key's JWK" }) keyId!: string;
  @ApiProperty({ description: 'Ed25519 over the RFC 8785 canonical JSON of the other fields, base64url' }) signature!: string;
}

class CheckpointPageDto {
  @ApiProperty({ type: [SignedCheckpointDto] }) items!: SignedCheckpointDto[];
  @ApiNullable({ type: 'integer', description: 'Pass as `after` for the following page; null on the last page' }) next!: number | null;
}

class LedgerPublicJwkDto implements LedgerPublicJwk {
  @ApiProperty({ enum: ['OKP'] }) kty!: 'OKP';
  @ApiProperty({ enum: ['Ed25519'] }) crv!: 'Ed25519';
  @ApiProperty({ description: 'The public key, base64url' }) x!: string;
  @ApiProperty({ description: 'Its RFC 7638 thumbprint' }) kid!: string;
  @ApiProperty({ enum: ['EdDSA'] }) alg!: 'EdDSA';
  @ApiProperty({ enum: ['sig'] }) use!: 'sig';
}

/** Proofs from the ledger (RFC 9162): an event is in a signed tree; a later tree extends an earlier one. */
@ApiTags('audit')
@Controller('audit/proofs')
export class LedgerProofsController {
  constructor(@Inject(LedgerService) private readonly ledger: LedgerService) {}

  @Get('inclusion')
  @ApiOperation({
    operationId: 'getInclusionProof',
    summary: 'RFC 9162 inclusion proof of one event (by leafIndex, or stream and revision) in the tree of treeSize leaves',
    description: 'The leaf is HASH(0x00 || JCS({hash, index, revision, stream})); `auditPath` is PATH(leafIndex, D[treeSize]), hex.',
  })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiProblems([400, 'Invalid parameters, or a tree larger than the ledger'], [404, 'No such leaf or event'])
  inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProofAnswer> {
    return this.ledger.inclusion(query);
  }

  @Get('consistency')
  @ApiOperation({
    operationId: 'getConsistencyProof',
    summary: 'RFC 9162 consistency proof: the tree of `to` leaves extends the tree of `from` leaves',
  })
  @ApiOkResponse({ type: ConsistencyProofDto })
  @ApiProblems([400, 'Invalid sizes'])
  consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofAnswer> {
    return this.ledger.consistency(query.from, query.to);
  }
}

/** What anyone may fetch without a token: the signed checkpoints and the key to check them with. */
@ApiTags('audit')
@Public()
@Controller('audit')
export class LedgerCheckpointsController {
  constructor(@Inject(LedgerService) private readonly ledger: LedgerService) {}

  @Get('checkpoints/latest')
  @ApiOperation({
    operationId: 'getLatestCheckpoint',
    summary: 'The latest signed checkpoint {treeSize, rootHash, issuedAt, keyId, signature}',
    description: 'The Ed25519 signature (base64url) covers the RFC 8785 canonical JSON of the checkpoint without `signature`.',
  })
  @ApiOkResponse({ type: SignedCheckpointDto })
  @ApiProblems([404, 'No checkpoint signed yet'])
  async latest(): Promise<SignedCheckpoint> {
    const checkpoint = await this.ledger.latestCheckpoint();
    if (!checkpoint) throw new NotFoundError('No checkpoint has been signed yet');
    return checkpoint;
  }

  @Get('checkpoints')
  @ApiOperation({ operationId: 'listCheckpoints', summary: 'Every signed checkpoint, oldest first, paged by tree size' })
  @ApiOkResponse({ type: CheckpointPageDto, headers: linkHeader('after') })
  @ApiProblems([400, 'Invalid paging parameters'])
  async list(
    @Query() query: CheckpointsQueryDto,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ items: SignedCheckpoint[]; next: number | null }> {
    const page = await this.ledger.checkpoints(query.after ?? 0, query.limit ?? 100);
    if (page.next !== null) void reply.header('link', nextPageLink(request, page.next, 'after'));
    return page;
  }

  @Get('public-key')
  @ApiOperation({
    operationId: 'getLedgerPublicKey',
    summary: 'The Ed25519 key checkpoints are signed with, as a JWK (kid: its RFC 7638 thumbprint)',
  })
  @ApiOkResponse({ type: LedgerPublicJwkDto })
  @ApiProblems([404, 'The service has no signing key'])
  publicKey(): LedgerPublicJwk {
    return this.ledger.publicKey();
  }
}
