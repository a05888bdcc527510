import { createRequire } from 'node:module';
import type { INestApplication } from '@nestjs/common';
import express, { type Express, type Request, type Response } from 'express';
import { buildOpenApiDocument, serializeDocument } from './openapi-document.js';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PATH = '/api/docs';

// swagger-ui-dist comes with @nestjs/swagger; resolved from there rather than named as a dependency of our own.
const swaggerUiDist = (createRequire(createRequire(import.meta.url).resolve('@nestjs/swagger'))('swagger-ui-dist/absolute-path.js') as () => string)();

/**
 * Our own page around Swagger UI's files, with no inline script or style, so /api/docs runs
 * under the same strict CSP as the rest of the app ([I-HEADERS]): nothing to relax.
 */
const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Sessionkeep API</title>
<link rel="stylesheet" href="${DOCS_PATH}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${DOCS_PATH}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/sessionkeep-docs.js"></script>
</body>
</html>
`;

// No validator badge: it would call a third-party server, which the CSP refuses anyway.
const DOCS_SCRIPT = `window.ui = SwaggerUIBundle({ url: ${JSON.stringify(OPENAPI_PATH)}, dom_id: '#swagger-ui', validatorUrl: null, deepLinking: true });\n`;

/**
 * GET /api/openapi.json in every mode: public, answered before the session middleware, so it
 * needs no session and stores nothing. The document is built on first use. Swagger UI at
 * /api/docs only outside production; there it is the API's usual 404.
 */
export function serveApiDocs(app: INestApplication, production: boolean): void {
  const server = app.getHttpAdapter().getInstance() as Express;
  let documentJson: string | undefined;
  server.get(OPENAPI_PATH, (req: Request, res: Response) => {
    documentJson ??= serializeDocument(buildOpenApiDocument(app));
    const send = () => void res.type('application/json').send(documentJson);
    // A GET has no use for a body, but one sent anyway (a fuzzer's 6 MB of text) is read to its end
    // first: answering this large document over an unread upload makes the socket close under it.
    // The request deadline still bounds a body that never ends.
    req.resume();
    if (req.complete) send();
    else req.once('end', send);
  });
  if (production) return;
  server.get(DOCS_PATH, (_req: Request, res: Response) => void res.type('html').send(DOCS_PAGE));
  server.get(`${DOCS_PATH}/sessionkeep-docs.js`, (_req: Request, res: Response) => void res.type('text/javascript').send(DOCS_SCRIPT));
  server.use(DOCS_PATH, express.static(swaggerUiDist, { index: false }));
}
