import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, unwrap, type Schemas } from '../api/client';

type Device = Schemas['Device'];

export const sessionsKey = ['sessions'] as const;

const currentFirst = (a: Device, b: Device) => Number(b.current) - Number(a.current);

/** The user's sessions; fetched again whenever the window regains focus (TanStack Query's default). */
export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: async () => (await unwrap(api.GET('/api/sessions'))).sessions.toSorted(currentFirst),
  });
}

/**
 * Revokes one session, optimistically: the card goes at once (the step-up dialog may open meanwhile)
 * and comes back where it was if the request fails. Rolling back that one card, not the whole list,
 * keeps another revoke that succeeded meanwhile.
 */
export function useRevokeSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (session: Device) => api.DELETE('/api/sessions/{id}', { params: { path: { id: session.id } } }),
    onMutate: async (session) => {
      await queryClient.cancelQueries({ queryKey: sessionsKey });
      const index = queryClient.getQueryData<Device[]>(sessionsKey)?.findIndex((s) => s.id === session.id) ?? -1;
      queryClient.setQueryData<Device[]>(sessionsKey, (sessions) => sessions?.filter((s) => s.id !== session.id));
      return { index };
    },
    onError: (error, session, context) => {
      // Already gone on the server: the card stays away.
      if (error instanceof ApiError && error.code === 'NOT_FOUND') return;
      queryClient.setQueryData<Device[]>(sessionsKey, (sessions) =>
        !sessions || sessions.some((s) => s.id === session.id) ? sessions : sessions.toSpliced(context?.index ?? 0, 0, session),
      );
    },
  });
}

/** "Log out other devices": on success only this device is left in the list. */
export function useRevokeOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/sessions/revoke-others')),
    onSuccess: () =>
      queryClient.setQueryData<Device[]>(sessionsKey, (sessions) => sessions?.filter((s) => s.current)),
  });
}
