import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/client';
import type { DeviceSession, RevokedResponse, SessionsResponse } from '../api/types';

const sessionsKey = ['sessions'] as const;

const currentFirst = (a: DeviceSession, b: DeviceSession) => Number(b.current) - Number(a.current);

/** The user's sessions; fetched again whenever the window regains focus (TanStack Query's default). */
export function useSessions() {
  return useQuery({
    queryKey: sessionsKey,
    queryFn: async () => (await api.get<SessionsResponse>('/sessions')).sessions.toSorted(currentFirst),
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
    mutationFn: (session: DeviceSession) => api.delete(`/sessions/${encodeURIComponent(session.id)}`),
    onMutate: async (session) => {
      await queryClient.cancelQueries({ queryKey: sessionsKey });
      const index = queryClient.getQueryData<DeviceSession[]>(sessionsKey)?.findIndex((s) => s.id === session.id) ?? -1;
      queryClient.setQueryData<DeviceSession[]>(sessionsKey, (sessions) => sessions?.filter((s) => s.id !== session.id));
      return { index };
    },
    onError: (error, session, context) => {
      // Already gone on the server: the card stays away.
      if (error instanceof ApiError && error.code === 'NOT_FOUND') return;
      queryClient.setQueryData<DeviceSession[]>(sessionsKey, (sessions) =>
        !sessions || sessions.some((s) => s.id === session.id) ? sessions : sessions.toSpliced(context?.index ?? 0, 0, session),
      );
    },
  });
}

/** "Log out other devices": on success only this device is left in the list. */
export function useRevokeOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<RevokedResponse>('/sessions/revoke-others'),
    onSuccess: () =>
      queryClient.setQueryData<DeviceSession[]>(sessionsKey, (sessions) => sessions?.filter((s) => s.current)),
  });
}
