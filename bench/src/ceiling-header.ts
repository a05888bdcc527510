/** The header carrying the session's stored hash to the ceiling server's route. */
export const CEILING_SESSION_HEADER = 'x-bench-session-hash';
