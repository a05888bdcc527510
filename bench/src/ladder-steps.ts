/** The ladder server's route, and its steps by LADDER_STEP (see ladder-server.ts), named as the report names them. */
export const LADDER_PATH = '/ladder';
export const LADDER_STEPS = ['ceiling', '+ session', '+ helmet, no-store', '+ request logger', '+ deadline, JSON body'] as const;
