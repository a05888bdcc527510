import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { setReauthHandler } from '../api/client';
import { ReauthDialog } from './reauth-dialog';

/**
 * Registers itself as the API client's re-auth handler: when a critical request answers
 * REAUTH_REQUIRED, the dialog asks for the password and the client retries the request.
 */
export function ReauthProvider({ children }: { children: ReactNode }) {
  const [resolvePending, setResolvePending] = useState<((confirmed: boolean) => void) | null>(null);
  const openRequest = useRef<Promise<boolean> | null>(null);
  const returnFocusTo = useRef<HTMLElement | null>(null);

  useEffect(() => {
    setReauthHandler(() => {
      // Parallel requests that all need step-up share one dialog.
      openRequest.current ??= new Promise<boolean>((resolve) => {
        returnFocusTo.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
        setResolvePending(() => resolve);
      });
      return openRequest.current;
    });
    return () => setReauthHandler(null);
  }, []);

  useEffect(() => {
    if (resolvePending) return;
    returnFocusTo.current?.focus();
    returnFocusTo.current = null;
  }, [resolvePending]);

  const finish = useCallback(
    (confirmed: boolean) => {
      resolvePending?.(confirmed);
      openRequest.current = null;
      setResolvePending(null);
    },
    [resolvePending],
  );

  return (
    <>
      <div className="app-root" inert={resolvePending !== null}>
        {children}
      </div>
      {resolvePending && <ReauthDialog onDone={finish} />}
    </>
  );
}
