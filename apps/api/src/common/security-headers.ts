import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** [I-HEADERS] A CSP the built app runs under (no inline script or style), HSTS in production only. */
function helmetFor(production: boolean) {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(production ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: production ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
    crossOriginEmbedderPolicy: false,
  });
}

/**
 * helmet's headers, worked out once. With this configuration every header helmet sets is the
 * same on every response (no nonces, nothing read from the request), so it is run once at start
 * on a recording response and each request gets the recorded list: the same headers and values,
 * without helmet's chain of twelve middleware calls per request.
 */
export function securityHeaders(production: boolean) {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let ran = false;
  helmetFor(production)({} as IncomingMessage, recorder as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
    ran = true;
  });
  if (!ran || headers.length === 0) throw new Error('helmet did not set its headers synchronously');
  return (_req: IncomingMessage, res: ServerResponse, next: () => void) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    next();
  };
}
