// The live event stream (GET /api/v1/events over WebSocket, see API.md
// "Live events"). The browser sends the session cookie with the upgrade,
// so no token is handled here. After a drop the connection is reopened with
// ?after=<last id seen>, and the server replays what was missed, so a
// caller sees every event exactly once and in order.

const MIN_RETRY_MS = 1000;
const MAX_RETRY_MS = 30000;

// connectLive(onEvent, {after, onStatus}) → {close()}
//   onEvent(message): one parsed event {id, type, case_id, at, data};
//     also {type: 'replay.truncated'} when the server could not replay all.
//   after: an event id to start after (replay); absent: live from now.
//   onStatus(status): 'verbinden' | 'verbonden' | 'verbroken' on every change.
export function connectLive(onEvent, {after, onStatus} = {}) {
  let lastId = after !== undefined && after !== null ? String(after) : null;
  let socket = null;
  let closed = false;
  let retryMs = MIN_RETRY_MS;
  let retryTimer = null;

  const status = (s) => {
    if (onStatus) {
      try { onStatus(s); } catch (e) { console.error('live status handler failed', e); }
    }
  };

  function url() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const query = lastId !== null ? `?after=${encodeURIComponent(lastId)}` : '';
    return `${scheme}//${location.host}/api/v1/events${query}`;
  }

  function open() {
    if (closed) return;
    status('verbinden');
    try {
      socket = new WebSocket(url());
    } catch (e) {
      console.error('websocket could not be opened', e);
      scheduleRetry();
      return;
    }
    socket.addEventListener('open', () => {
      retryMs = MIN_RETRY_MS;
      status('verbonden');
    });
    socket.addEventListener('message', (msg) => {
      let event;
      try { event = JSON.parse(msg.data); } catch { return; }
      if (!event || typeof event !== 'object') return;
      if (event.id !== undefined && event.id !== null) lastId = String(event.id);
      try { onEvent(event); } catch (e) { console.error('live event handler failed', e); }
    });
    socket.addEventListener('close', () => {
      socket = null;
      if (closed) return;
      status('verbroken');
      scheduleRetry();
    });
    // 'error' is always followed by 'close', which does the retrying.
  }

  function scheduleRetry() {
    if (closed || retryTimer) return;
    // Jitter, so that many open dashboards do not reconnect at the same instant.
    const wait = retryMs / 2 + Math.random() * retryMs / 2;
    retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
    retryTimer = setTimeout(() => { retryTimer = null; open(); }, wait);
  }

  open();
  return {
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      if (socket) socket.close(1000, 'page closed');
      socket = null;
    },
    lastEventId() { return lastId; },
  };
}
