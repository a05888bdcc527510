import { SetMetadata } from '@nestjs/common';

export const ENDS_SESSIONS = 'session:endsSessions';

/**
 * The route only ends sessions, so it still does its work when the request deadline has already
 * answered 503 [I-OUTAGE]: a sign-out or a revocation that lands once the database is back errs on
 * the safe side, while other late work (which would move or start a session) is dropped by the guard.
 */
export const EndsSessions = () => SetMetadata(ENDS_SESSIONS, true);
