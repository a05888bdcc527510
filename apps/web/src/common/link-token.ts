import { useState } from 'react';

/**
 * The one-time token of an emailed link, read from the URL fragment (`#token=…`), which browsers
 * never send to a server, so it stays out of access logs and Referer headers. It is then taken out
 * of the address bar, so it is not left in history or shared by copying the URL.
 */
export function useLinkToken(): string | null {
  const [token] = useState(() => {
    const value = new URLSearchParams(window.location.hash.slice(1)).get('token');
    if (value) window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
    return value;
  });
  return token;
}
