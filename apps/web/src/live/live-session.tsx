import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { sessionEnded } from '../api/client';
import { meKey } from '../auth/use-auth';
import { sessionsKey } from '../sessions/use-sessions';
import { holdLiveStream } from './live-stream';

/**
 * [D-LIVE] While someone is signed in: a session ended anywhere sends every tab to the sign-in
 * page with the reason, with no click; a change to the devices list refreshes the devices page.
 */
export function LiveSession() {
  const queryClient = useQueryClient();
  useEffect(
    () =>
      holdLiveStream((event) => {
        if (event.type === 'ended' && event.reason) sessionEnded(event.reason);
        else if (event.type === 'devices') void queryClient.invalidateQueries({ queryKey: sessionsKey });
        // Ended with no reason known, or the stream refused: the server says where this session stands.
        else void queryClient.invalidateQueries({ queryKey: meKey });
      }),
    [queryClient],
  );
  return null;
}
