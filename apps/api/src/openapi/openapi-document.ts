import { createRequire } from 'node:module';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, type OperationObject, type ResponsesObject, SwaggerModule } from '@nestjs/swagger';
import { PRE_SESSION_COOKIE } from '../auth/pre-session-csrf.js';
import { ERROR_CODES, type ErrorCode } from '../common/errors/error-codes.js';
import { SESSION_COOKIE } from '../sessions/session-data.js';
import { ErrorBodyDto } from './dto/error-body.dto.js';
import { operationIdOf, type RouteAccess, routeAccessByOperationId } from './route-access.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const SAFE_METHODS = new Set(['get', 'head', 'options']);
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const ERROR_BODY = 'ErrorBody';

/**
 * The OpenAPI 3.1 document of every route, built from the controllers and DTOs. Each operation's
 * auth needs and the errors they bring are read from the route's own guards and @Public(), so a
 * new route is documented as it is protected. Call after the global prefix is set.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle('Sessionkeep API')
    .setDescription(
      'Every route needs a signed-in session unless it says otherwise (`x-requires`). POST, PATCH and DELETE need the ' +
        'X-CSRF-Token header (from GET /api/auth/csrf). Errors share one shape, ErrorBody; clients switch on `code`.',
    )
    .setVersion(version)
    .addSecurity('session', { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'Set by sign-in; HttpOnly, so a browser sends it by itself.' })
    .addSecurity('csrfToken', { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'The token of GET /api/auth/csrf [I-CSRF].' })
    .addSecurity('preSessionCsrf', { type: 'apiKey', in: 'cookie', name: PRE_SESSION_COOKIE, description: 'Before sign-in the CSRF token is bound to this cookie [A-ANON].' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: operationIdOf,
    extraModels: [ErrorBodyDto],
    autoTagControllers: false,
  });
  const routes = routeAccessByOperationId(app);
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method];
      if (!operation) continue;
      const access = routes.get(operation.operationId!);
      if (!access) throw new Error(`No controller method found for operation ${operation.operationId}`);
      describeAccess(operation, access, !SAFE_METHODS.has(method));
    }
  }
  return withSchemaNamesWithoutDto(document);
}

function describeAccess(operation: OperationObject, access: RouteAccess, unsafe: boolean): void {
  const needs = [access.session && 'session', access.stepUp && 'step-up', access.admin && 'admin', unsafe && 'csrf'].filter((need) => need !== false);
  const credentials = access.session ? ['session'] : unsafe ? ['preSessionCsrf'] : [];
  const requirement = Object.fromEntries([...credentials, ...(unsafe ? ['csrfToken'] : [])].map((scheme) => [scheme, []]));
  operation.security = Object.keys(requirement).length > 0 ? [requirement] : [];
  Object.assign(operation, { 'x-requires': needs });
  const hasInput = unsafe || (operation.parameters?.length ?? 0) > 0;
  const codes: ErrorCode[] = [
    ...(hasInput ? (['VALIDATION_FAILED'] as const) : []),
    ...(access.session ? (['UNAUTHENTICATED'] as const) : []),
    ...(unsafe ? (['CSRF_INVALID'] as const) : []),
    ...(access.stepUp ? (['REAUTH_REQUIRED'] as const) : []),
    ...(access.admin ? (['FORBIDDEN', 'MFA_ENROLMENT_REQUIRED'] as const) : []),
    // Every body goes through the JSON parser, whatever the route reads of it [I-BAD].
    ...(unsafe ? (['PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'] as const) : []),
    ...access.declaredErrors,
    'INTERNAL_ERROR',
    // Any route while the database is unreachable [I-OUTAGE].
    'SERVICE_UNAVAILABLE',
  ];
  operation.responses = { ...operation.responses, ...errorResponses(codes) };
}

/** One response per status, each code an example with its registry message. */
export function errorResponses(codes: ErrorCode[]): ResponsesObject {
  const byStatus = new Map<number, Set<ErrorCode>>();
  for (const code of codes) byStatus.set(ERROR_CODES[code].status, (byStatus.get(ERROR_CODES[code].status) ?? new Set()).add(code));
  return Object.fromEntries(
    [...byStatus].map(([status, codesOfStatus]) => [
      String(status),
      {
        description: [...codesOfStatus].join(' or '),
        content: {
          'application/json': {
            schema: { $ref: `#/components/schemas/${ERROR_BODY}` },
            examples: Object.fromEntries(
              [...codesOfStatus].map((code) => [code, { value: { statusCode: status, code, message: ERROR_CODES[code].message } }]),
            ),
          },
        },
      },
    ]),
  );
}

/** `PublicUserDto` → `PublicUser`: the schemas name what they are, and that is what the web app's types are called. */
function withSchemaNamesWithoutDto(document: OpenAPIObject): OpenAPIObject {
  const json = JSON.stringify(document).replace(/"#\/components\/schemas\/(\w+?)Dto"/g, '"#/components/schemas/$1"');
  const renamed = JSON.parse(json) as OpenAPIObject;
  renamed.components!.schemas = Object.fromEntries(Object.entries(renamed.components!.schemas!).map(([name, schema]) => [name.replace(/Dto$/, ''), schema]));
  return renamed;
}

/** Pretty-printed with every object's keys sorted, so the committed file changes only when the API does. */
export function serializeDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(sortKeys(document), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.keys(value).sort().map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]));
}
