export type AuthMessage = { type: 'signed-out' } | { type: 'signed-in' };

// One channel per tab: a BroadcastChannel never hears its own messages, so this tab does not
// react to what it just did itself, while every other tab of the browser does.
let channel: BroadcastChannel | null = null;

function getChannel(): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  channel ??= new BroadcastChannel('sessionkeep-auth');
  return channel;
}

export function broadcastAuth(message: AuthMessage): void {
  getChannel()?.postMessage(message);
}

export function subscribeToAuthChannel(listener: (message: AuthMessage) => void): () => void {
  const target = getChannel();
  if (!target) return () => {};
  const onMessage = (event: MessageEvent<AuthMessage>) => listener(event.data);
  target.addEventListener('message', onMessage);
  return () => target.removeEventListener('message', onMessage);
}
