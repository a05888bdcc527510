import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';

// Query parameters: read by API clients rather than shown beside a form field, so they name the parameter.
export class EventsQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'The nextCursor of the previous page.' })
  @IsOptional()
  @IsUUID(undefined, { message: 'cursor must be the nextCursor of an earlier page of events.' })
  cursor?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @Max(100, { message: 'limit must be at most 100.' })
  @Min(1, { message: 'limit must be at least 1.' })
  @IsInt({ message: 'limit must be a whole number from 1 to 100.' })
  limit = 20;
}
