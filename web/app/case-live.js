// Keeps an open case page current over the live event stream (live.js):
// every event about this case — a transition, escalation, note, afspraak,
// deadline or team change — asks the page to read the case again, once per
// burst (debounced), and the connection state is shown in Dutch in a small
// status element. The page decides what to redraw; this module only says
// when.

import {h, replaceChildren} from './dom.js';
import {connectLive} from './live.js';

const REFRESH_DELAY_MS = 300;
const STATUS_TEXT = {
  verbinden: 'verbinden…',
  verbonden: 'verbonden',
  verbroken: 'verbroken, opnieuw verbinden…',
};

export class CaseLiveUpdates {
  // isThisCase(caseId) → whether an event's case_id is the page's case;
  // refresh() → a promise, called at most once at a time.
  constructor({isThisCase, refresh}) {
    this.isThisCase = isThisCase;
    this.refresh = refresh;
    this.connection = null;
    this.timer = null;
    this.running = null;
    this.again = false;
    this.closed = false;
    this.status = h('span', {class: 'live-status', 'data-testid': 'live-status', 'data-state': 'uit'}, 'uit');
  }

  // A line for the page: "Live bijwerken: verbonden".
  statusLine() {
    return h('p', {class: 'live-line'}, 'Live bijwerken: ', this.status);
  }

  // Opens the stream (once). Reopening after close() is allowed: a page
  // that lost access and regained it (break-the-glass) goes live again.
  start() {
    if (this.connection) return;
    this.closed = false;
    let connectedBefore = false;
    let wasDown = false;
    this.connection = connectLive((event) => {
      if (event.type === 'replay.truncated' || (event.case_id && this.isThisCase(event.case_id))) this.schedule();
    }, {
      onStatus: (state) => {
        this.status.dataset.state = state;
        replaceChildren(this.status, STATUS_TEXT[state] || state);
        if (state === 'verbroken') wasDown = true;
        if (state !== 'verbonden') return;
        // The stream starts "from now": what happened between reading the
        // case and the stream's start (or during a drop without a cursor)
        // is read once more. An unchanged case redraws nothing.
        if (!connectedBefore || wasDown) this.schedule();
        connectedBefore = true;
        wasDown = false;
      },
    });
  }

  close() {
    this.closed = true;
    if (this.connection) this.connection.close();
    this.connection = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.status.dataset.state = 'uit';
    replaceChildren(this.status, 'uit');
  }

  schedule() {
    if (this.closed || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.run();
    }, REFRESH_DELAY_MS);
  }

  // One refresh at a time; events during a refresh cause one more after it.
  async run() {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      try {
        await this.refresh();
      } catch (e) {
        console.error('live refresh failed', e);
      }
    })();
    await this.running;
    this.running = null;
    if (this.again) {
      this.again = false;
      this.schedule();
    }
  }
}
