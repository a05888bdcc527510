import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listRoutes } from '../../test/attacks/route-inventory.js';
import { startTestApp } from '../../test/test-app.js';
import type { ErrorCode } from '../common/errors/error-codes.js';
import { OPENAPI_FILE } from './document-app.js';
import { DOCS_PATH, OPENAPI_PATH } from './serve-api-docs.js';

interface Operation {
  operationId: string;
  security: Record<string, string[]>[];
  'x-requires': string[];
  responses: Record<string, { content?: { 'application/json': { schema: { $ref?: string }; examples?: Record<string, unknown> } } }>;
}

/** `/api/sessions/{id}` → `/api/sessions/:id`, the router's spelling. */
const expressPath = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');
const UNSAFE = ['post', 'put', 'patch', 'delete'];

describe('the OpenAPI document at /api/openapi.json', () => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let operations: { method: string; path: string; operation: Operation }[];

  beforeAll(async () => {
    t = await startTestApp();
    const res = await request(t.app.getHttpServer()).get(OPENAPI_PATH);
    expect(res.status).toBe(200);
    operations = Object.entries(res.body.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({ method, path, operation })),
    );
  });
  afterAll(() => t?.close());

  const documents = (operation: Operation, status: number, code: ErrorCode) => {
    const content = operation.responses[status]?.content?.['application/json'];
    return content?.schema.$ref === '#/components/schemas/ErrorBody' && code in (content.examples ?? {});
  };

  it('is OpenAPI 3.1, public, stores nothing and sets no cookie, and is the committed file', async () => {
    const sessionsBefore = await t.prisma.session.count();
    const res = await request(t.app.getHttpServer()).get(OPENAPI_PATH);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.openapi).toMatch(/^3\.1\.\d+$/);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await t.prisma.session.count()).toBe(sessionsBefore);
    expect(res.text, 'run `npm run openapi --workspace apps/api`').toBe(readFileSync(OPENAPI_FILE, 'utf8'));
  });

  it('lists every route the app answers, and only those', () => {
    const served = listRoutes(t.app)
      .filter((route) => !route.path.startsWith(DOCS_PATH) && route.path !== OPENAPI_PATH)
      .map((route) => `${route.method} ${route.path}`);
    const documented = operations.map(({ method, path }) => `${method.toUpperCase()} ${expressPath(path)}`);
    expect(documented.sort()).toEqual(served.sort());
    expect(documented).toHaveLength(22);
  });

  it('documents, for each route, the error it answers a stranger with', async () => {
    for (const { method, path, operation } of operations) {
      const res = await request(t.app.getHttpServer())[method as 'get'](expressPath(path).replace(':id', '00000000-0000-4000-8000-000000000000'));
      if (res.status < 400) continue;
      expect(documents(operation, res.status, res.body.code), `${method} ${path} answered ${res.status} ${res.body.code}`).toBe(true);
    }
  });

  it('documents 401 on every signed-in route, 403 CSRF_INVALID on every unsafe one, step-up and admin', () => {
    for (const { method, path, operation } of operations) {
      const requires = operation['x-requires'];
      const route = `${method} ${path}`;
      if (requires.includes('session')) {
        expect(documents(operation, 401, 'UNAUTHENTICATED'), route).toBe(true);
        expect(operation.security, route).toEqual([expect.objectContaining({ session: [] })]);
      }
      expect(requires.includes('csrf'), route).toBe(UNSAFE.includes(method));
      if (UNSAFE.includes(method)) {
        expect(documents(operation, 403, 'CSRF_INVALID'), route).toBe(true);
        expect(operation.security, route).toEqual([expect.objectContaining({ csrfToken: [] })]);
      }
      expect(documents(operation, 403, 'REAUTH_REQUIRED'), route).toBe(requires.includes('step-up'));
      expect(documents(operation, 403, 'FORBIDDEN'), route).toBe(requires.includes('admin'));
      expect(documents(operation, 503, 'SERVICE_UNAVAILABLE'), route).toBe(true);
    }
    const needs = (id: string) => operations.find(({ operation }) => operation.operationId === id)?.operation['x-requires'];
    expect(needs('healthCheck')).toEqual([]);
    expect(needs('authLogin')).toEqual(['csrf']);
    expect(needs('sessionsRevoke')).toEqual(['session', 'step-up', 'csrf']);
    expect(needs('adminChangeRole')).toEqual(['session', 'step-up', 'admin', 'csrf']);
  });

  it('serves Swagger UI at /api/docs outside production, under the strict CSP', async () => {
    const res = await request(t.app.getHttpServer()).get(DOCS_PATH);
    expect(res.status).toBe(200);
    expect(res.text).toContain('swagger-ui-bundle.js');
    expect(res.text).not.toMatch(/<style|style=|<script>/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self';");
    expect(res.headers['content-security-policy']).not.toContain('unsafe');
    expect((await request(t.app.getHttpServer()).get(`${DOCS_PATH}/swagger-ui-bundle.js`)).status).toBe(200);
  });

  it('answers /api/docs in production with the API\'s 404, and still serves the document', async () => {
    const production = await startTestApp(
      { NODE_ENV: 'production', TRUST_PROXY: 'loopback', MAIL_FROM: 'Sessionkeep <security@example.com>', APP_URL: 'https://example.com' },
      t.database,
    );
    try {
      for (const path of [DOCS_PATH, `${DOCS_PATH}/swagger-ui-bundle.js`, `${DOCS_PATH}/sessionkeep-docs.js`]) {
        const res = await request(production.app.getHttpServer()).get(path);
        expect(res.status, path).toBe(404);
        expect(res.body, path).toEqual({ statusCode: 404, code: 'NOT_FOUND', message: 'Not found.' });
      }
      expect((await request(production.app.getHttpServer()).get(OPENAPI_PATH)).status).toBe(200);
    } finally {
      await production.close();
    }
  });
});
