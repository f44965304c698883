// Workflow state diagrams, drawn from a definition as /api/v1/workflows
// serves it. ELK (elkjs, /vendor/elkjs/elk.bundled.js, loaded on first
// use) computes the layout; this module builds the graph and draws the SVG
// itself, so the look follows the app's stylesheet and CSP (classes only,
// no inline styles).
//
// - A state is a box; the initial state gets an entry arrow from a start
//   dot, terminal states a double border.
// - A transition that moves the case is an edge per `from` state, labelled.
// - A transition that keeps the case in its state (informatie toevoegen,
//   pure op-/afschalen) is listed inside the state's box rather than drawn
//   as a loop, which keeps busy workflows readable.
// - A level change is marked with a pill naming the level it leads to,
//   numbered as in the ladder drawn next to the diagram.
// - On a case, the current state is highlighted and the path taken so far
//   (the case's `history`) traced.

import {h} from './dom.js';
import {loadScript} from './pages/page-kit.js';

const ELK_JS = '/vendor/elkjs/elk.bundled.js';
const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT_FAMILY = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif';
const FONT_SIZE = 13;
const SMALL_SIZE = 12;
const LINE = 16;
const PAD_X = 10;
const PAD_Y = 8;
const NODE_TEXT_MAX = 190;   // wrap state labels beyond this width (px)
const EDGE_TEXT_MAX = 150;   // wrap edge labels beyond this width
const START_SIZE = 14;
const START_ID = '__start';

// ---- the graph, from the definition ----

// A transition's level change as the API sends it — null, or {change:
// 'raise'|'lower'} or {change: 'set', level} — as {kind, level?}, or null.
export function levelChangeOf(t) {
  const v = t && t.level;
  if (!v || typeof v !== 'object' || !v.change || v.change === 'none') return null;
  return {kind: String(v.change), level: v.level || undefined};
}

function fromList(t) {
  if (Array.isArray(t.from)) return t.from.map(String);
  return t.from ? [String(t.from)] : [];
}

// The initial state: the one marked so, else the first listed.
export function initialStateOf(workflow) {
  const states = workflow.states || [];
  const marked = states.find((s) => s.initial);
  return (marked || states[0] || {}).id;
}

// {states: [{id, label, initial, terminal, stays: [{name, label, level}]}],
//  edges: [{id, name, label, from, to, level}]}. Edge ids are
// "<transition>@<from>": unique, since transition names are.
export function workflowGraph(workflow) {
  const initial = initialStateOf(workflow);
  const states = (workflow.states || []).map((s) => ({
    id: s.id, label: s.label || s.id, initial: s.id === initial, terminal: Boolean(s.terminal), stays: [],
  }));
  const byId = new Map(states.map((s) => [s.id, s]));
  const edges = [];
  for (const t of workflow.transitions || []) {
    const level = levelChangeOf(t);
    for (const from of fromList(t)) {
      if (!byId.has(from)) continue;
      const to = t.to || '';
      if (!to || to === from) {
        byId.get(from).stays.push({name: t.name, label: t.label || t.name, level});
      } else if (byId.has(to)) {
        edges.push({id: `${t.name}@${from}`, name: t.name, label: t.label || t.name, from, to, level});
      }
    }
  }
  return {states, edges};
}

// Replays a case's history (transition names, oldest first) from the
// initial state: {edges: Set of edge ids, stays: Set of "<name>@<state>",
// visited: Set of state ids}. Unknown names (another version) are skipped.
export function tracePath(workflow, history) {
  const byName = new Map((workflow.transitions || []).map((t) => [t.name, t]));
  let here = initialStateOf(workflow);
  const out = {edges: new Set(), stays: new Set(), visited: new Set(here ? [here] : [])};
  for (const name of history || []) {
    const t = byName.get(name);
    if (!t) continue;
    if (t.to && t.to !== here) {
      out.edges.add(`${name}@${here}`);
      here = t.to;
      out.visited.add(here);
    } else {
      out.stays.add(`${name}@${here}`);
    }
  }
  return out;
}

// "niv. 3" for a set level (numbered as in the ladder), "niv. +1"/"niv. −1".
function levelMark(workflow, change) {
  if (!change) return null;
  const levels = workflow.levels || [];
  if (change.kind === 'raise') return {text: 'niv. +1', title: 'Schaalt één niveau op'};
  if (change.kind === 'lower') return {text: 'niv. −1', title: 'Schaalt één niveau af'};
  const index = levels.findIndex((l) => l.id === change.level);
  const label = index >= 0 ? levels[index].label : change.level;
  return {text: index >= 0 ? `niv. ${index + 1}` : `niv. ${change.level}`, title: `Zet het niveau op ${label}`};
}

// ---- text measuring and wrapping ----

let measureContext = null;
function textWidth(text, size = FONT_SIZE, weight = 'normal') {
  if (!measureContext) measureContext = document.createElement('canvas').getContext('2d');
  measureContext.font = `${weight} ${size}px ${FONT_FAMILY}`;
  return measureContext.measureText(text).width;
}

function wrap(text, max, size, weight) {
  const words = String(text).split(/\s+/).filter(Boolean);
  const lines = [];
  let line = '';
  for (const word of words) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(next, size, weight) > max) {
      lines.push(line);
      line = word;
    } else {
      line = next;
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

const widest = (lines, size, weight) => Math.max(0, ...lines.map((l) => textWidth(l, size, weight)));
const PILL_PAD = 6;
const PILL_GAP = 8;
const pillWidth = (mark) => (mark ? textWidth(mark.text, SMALL_SIZE, '600') + 2 * PILL_PAD + PILL_GAP : 0);

// Sizes of every box and label before layout.
function measure(workflow, graph) {
  const nodes = graph.states.map((s) => {
    const title = wrap(s.label, NODE_TEXT_MAX, FONT_SIZE, '600');
    const stays = s.stays.map((x) => {
      const mark = levelMark(workflow, x.level);
      return {...x, mark, lines: wrap(`↻ ${x.label}`, NODE_TEXT_MAX, SMALL_SIZE)};
    });
    let width = widest(title, FONT_SIZE, '600');
    for (const x of stays) width = Math.max(width, widest(x.lines, SMALL_SIZE) + pillWidth(x.mark));
    const stayLines = stays.reduce((n, x) => n + x.lines.length, 0);
    const height = 2 * PAD_Y + title.length * LINE + (stays.length ? 6 + stayLines * (LINE - 1) : 0);
    return {...s, title, staysMeasured: stays, width: Math.ceil(width) + 2 * PAD_X, height: Math.ceil(height)};
  });
  const edges = graph.edges.map((e) => {
    const mark = levelMark(workflow, e.level);
    const lines = wrap(e.label, EDGE_TEXT_MAX, SMALL_SIZE);
    const width = Math.max(widest(lines, SMALL_SIZE), mark ? pillWidth(mark) : 0);
    const height = lines.length * (LINE - 2) + (mark ? LINE + 2 : 0);
    return {...e, mark, lines, labelWidth: Math.ceil(width) + 4, labelHeight: Math.ceil(height) + 2};
  });
  return {nodes, edges};
}

// ---- layout (ELK) ----

let elkInstance = null;
async function elk() {
  if (!elkInstance) {
    await loadScript(ELK_JS);
    if (typeof window.ELK !== 'function') throw new Error('ELK did not load');
    elkInstance = new window.ELK();
  }
  return elkInstance;
}

// Positions of nodes (top-left) and edge routes, from ELK's layered algorithm.
async function layout(measured, initialId) {
  const children = measured.nodes.map((n) => ({id: n.id, width: n.width, height: n.height}));
  const edges = measured.edges.map((e) => ({id: e.id, sources: [e.from], targets: [e.to],
    labels: [{id: `${e.id}#label`, text: e.label, width: e.labelWidth, height: e.labelHeight}]}));
  if (initialId) {
    children.unshift({id: START_ID, width: START_SIZE, height: START_SIZE});
    edges.unshift({id: `${START_ID}@edge`, sources: [START_ID], targets: [initialId]});
  }
  const result = await (await elk()).layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
      'elk.layered.crossingMinimization.semiInteractive': 'false',
      'elk.edgeLabels.placement': 'CENTER',
      'elk.layered.edgeLabels.sideSelection': 'SMART_DOWN',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '36',
      'elk.spacing.edgeNode': '14',
      'elk.spacing.edgeEdge': '10',
      'elk.spacing.edgeLabel': '4',
      'elk.layered.spacing.edgeNodeBetweenLayers': '14',
      'elk.layered.spacing.edgeEdgeBetweenLayers': '8',
      'elk.padding': '[top=8,left=8,bottom=8,right=8]',
    },
    children, edges,
  });
  const nodes = new Map(result.children.map((c) => [c.id, {x: c.x, y: c.y, w: c.width, h: c.height}]));
  const routes = new Map();
  for (const e of result.edges || []) {
    const points = [];
    for (const section of e.sections || []) {
      points.push(section.startPoint, ...(section.bendPoints || []), section.endPoint);
    }
    const label = (e.labels || [])[0];
    routes.set(e.id, {points, label: label ? {x: label.x, y: label.y, w: label.width, h: label.height} : null});
  }
  // ELK's own size can leave out a label placed at the border: take the
  // extent of everything drawn instead.
  let width = result.width || 0;
  let height = result.height || 0;
  const grow = (x, y) => { width = Math.max(width, x + 8); height = Math.max(height, y + 8); };
  for (const n of nodes.values()) grow(n.x + n.w, n.y + n.h);
  for (const r of routes.values()) {
    for (const p of r.points) grow(p.x, p.y);
    if (r.label) grow(r.label.x + r.label.w, r.label.y + r.label.h);
  }
  return {width, height, nodes, routes};
}

// Layouts by definition (the same object while a page keeps its list):
// redrawing a case's diagram after a live update only changes highlights.
const layouts = new WeakMap();
function cachedLayout(workflow) {
  if (!layouts.has(workflow)) {
    const graph = workflowGraph(workflow);
    const measured = measure(workflow, graph);
    const promise = layout(measured, initialStateOf(workflow)).then((pos) => ({graph, measured, pos}));
    promise.catch(() => layouts.delete(workflow));
    layouts.set(workflow, promise);
  }
  return layouts.get(workflow);
}

// ---- drawing ----

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    el.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Rounded corners on an orthogonal route.
function pathOf(points) {
  if (!points.length) return '';
  const r = 6;
  let d = `M${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length; i++) {
    const p = points[i];
    const prev = points[i - 1];
    const next = points[i + 1];
    if (!next) {
      d += ` L${p.x},${p.y}`;
      continue;
    }
    const inLen = Math.hypot(p.x - prev.x, p.y - prev.y);
    const outLen = Math.hypot(next.x - p.x, next.y - p.y);
    const k = Math.min(r, inLen / 2, outLen / 2);
    const ax = p.x - ((p.x - prev.x) / (inLen || 1)) * k;
    const ay = p.y - ((p.y - prev.y) / (inLen || 1)) * k;
    const bx = p.x + ((next.x - p.x) / (outLen || 1)) * k;
    const by = p.y + ((next.y - p.y) / (outLen || 1)) * k;
    d += ` L${ax},${ay} Q${p.x},${p.y} ${bx},${by}`;
  }
  return d;
}

function pill(mark, x, y) {
  const w = pillWidth(mark) - PILL_GAP;
  return s('g', {class: 'wf-level', transform: `translate(${x},${y})`},
    s('title', {}, mark.title),
    s('rect', {width: w, height: LINE - 2, rx: 7}),
    s('text', {x: w / 2, y: LINE - 6, 'text-anchor': 'middle', 'font-size': SMALL_SIZE}, mark.text));
}

function lines(textLines, x, y, lineHeight, attrs = {}) {
  return s('text', {x, y, ...attrs}, textLines.map((l, i) => s('tspan', {x, dy: i === 0 ? 0 : lineHeight}, l)));
}

let diagramCount = 0;

// drawWorkflow(workflow, {current, history, caption}) → <figure> with the
// SVG (role=img) and, beside it, the numbered escalation ladder. With
// `current`/`history` the case's state and path are highlighted.
// Rejects when the layout library cannot be loaded.
export async function drawWorkflow(workflow, {current = null, history = null, currentLevel = null} = {}) {
  const {graph, measured, pos} = await cachedLayout(workflow);
  const traced = history ? tracePath(workflow, history) : null;
  const uid = `wf${++diagramCount}`;

  const arrow = (id, cls) => s('marker', {id, class: cls, viewBox: '0 0 10 10', refX: 9, refY: 5,
    markerWidth: 8, markerHeight: 8, orient: 'auto-start-reverse', markerUnits: 'userSpaceOnUse'},
  s('path', {d: 'M0,0 L10,5 L0,10 z'}));
  const defs = s('defs', {}, arrow(`${uid}-arrow`, 'wf-arrow'), arrow(`${uid}-arrow-taken`, 'wf-arrow taken'));

  const edgeLayer = s('g', {class: 'wf-edges'});
  const labelLayer = s('g', {class: 'wf-labels'});
  const startRoute = pos.routes.get(`${START_ID}@edge`);
  if (startRoute) {
    edgeLayer.appendChild(s('path', {class: 'wf-edge-line wf-start-edge', d: pathOf(startRoute.points),
      'marker-end': `url(#${uid}-arrow)`}));
  }
  for (const e of measured.edges) {
    const route = pos.routes.get(e.id);
    if (!route) continue;
    const taken = traced && traced.edges.has(e.id);
    const cls = `wf-edge${taken ? ' taken' : ''}`;
    const title = `${e.label}${e.mark ? ` (${e.mark.title.toLowerCase()})` : ''}${taken ? ' — genomen' : ''}`;
    edgeLayer.appendChild(s('g', {class: cls, 'data-edge': e.id, 'data-transition': e.name, 'data-from': e.from,
      'data-to': e.to, 'data-taken': taken ? 'true' : null},
    s('title', {}, title),
    s('path', {class: 'wf-edge-line', d: pathOf(route.points), 'marker-end': `url(#${uid}-arrow${taken ? '-taken' : ''})`})));
    if (route.label) {
      const {x, y} = route.label;
      labelLayer.appendChild(s('g', {class: `wf-edge-label${taken ? ' taken' : ''}`, 'data-edge': e.id,
        transform: `translate(${x},${y})`},
      s('rect', {class: 'wf-label-bg', x: -2, y: -1, width: route.label.w, height: route.label.h, rx: 3}),
      lines(e.lines, 0, SMALL_SIZE, LINE - 2, {'font-size': SMALL_SIZE}),
      e.mark ? pill(e.mark, 0, e.lines.length * (LINE - 2) + 3) : null));
    }
  }

  const nodeLayer = s('g', {class: 'wf-nodes'});
  const start = pos.nodes.get(START_ID);
  if (start) {
    nodeLayer.appendChild(s('circle', {class: 'wf-start', cx: start.x + START_SIZE / 2, cy: start.y + START_SIZE / 2,
      r: START_SIZE / 2}, s('title', {}, 'Begin')));
  }
  for (const n of measured.nodes) {
    const p = pos.nodes.get(n.id);
    if (!p) continue;
    const isCurrent = current === n.id;
    const visited = traced && traced.visited.has(n.id);
    const cls = ['wf-node', n.initial && 'initial', n.terminal && 'terminal', visited && 'visited', isCurrent && 'current']
      .filter(Boolean).join(' ');
    const kind = [n.initial && 'begintoestand', n.terminal && 'eindtoestand', isCurrent && 'huidige toestand']
      .filter(Boolean).join(', ');
    const g = s('g', {class: cls, 'data-state': n.id, 'data-current': isCurrent ? 'true' : null,
      'data-visited': visited ? 'true' : null, transform: `translate(${p.x},${p.y})`},
    s('title', {}, kind ? `${n.label} (${kind})` : n.label),
    s('rect', {class: 'wf-box', width: n.width, height: n.height, rx: 8}),
    n.terminal ? s('rect', {class: 'wf-box-inner', x: 3, y: 3, width: n.width - 6, height: n.height - 6, rx: 6}) : null,
    lines(n.title, PAD_X, PAD_Y + FONT_SIZE, LINE, {class: 'wf-state-label', 'font-weight': 600}));
    let y = PAD_Y + n.title.length * LINE + 6;
    if (n.staysMeasured.length) g.appendChild(s('line', {class: 'wf-divider', x1: 4, x2: n.width - 4, y1: y - 3, y2: y - 3}));
    for (const x of n.staysMeasured) {
      const taken = traced && traced.stays.has(`${x.name}@${n.id}`);
      const item = s('g', {class: `wf-stay${taken ? ' taken' : ''}`, 'data-transition': x.name,
        'data-taken': taken ? 'true' : null},
      s('title', {}, `${x.label}: de zaak blijft in deze toestand${x.mark ? `; ${x.mark.title.toLowerCase()}` : ''}`),
      lines(x.lines, PAD_X, y + SMALL_SIZE, LINE - 1, {'font-size': SMALL_SIZE}));
      if (x.mark) item.appendChild(pill(x.mark, n.width - PAD_X - pillWidth(x.mark) + PILL_GAP, y + 1));
      g.appendChild(item);
      y += x.lines.length * (LINE - 1);
    }
    nodeLayer.appendChild(g);
  }

  const width = Math.ceil(pos.width);
  const height = Math.ceil(pos.height);
  const label = `Toestandsdiagram van ${workflow.label || workflow.id}: ${measured.nodes.length} toestanden, ` +
    `${measured.edges.length} overgangen${current ? `; huidige toestand: ${labelOfState(workflow, current)}` : ''}.`;
  const svg = s('svg', {xmlns: SVG_NS, class: 'wf-svg', width, height, viewBox: `0 0 ${width} ${height}`,
    role: 'img', 'aria-label': label, 'font-family': FONT_FAMILY, 'font-size': FONT_SIZE, 'data-workflow': workflow.id},
  defs, edgeLayer, labelLayer, nodeLayer);

  return h('figure', {class: 'wf-diagram', 'data-testid': 'workflow-diagram', dataset: {workflow: workflow.id}},
    h('div', {class: 'wf-canvas'}, svg),
    ladder(workflow, currentLevel),
    transitionsAsText(workflow, graph, traced));
}

function labelOfState(workflow, id) {
  const st = (workflow.states || []).find((x) => x.id === id);
  return st ? st.label : id;
}

// The escalation ladder, numbered like the level marks in the diagram.
function ladder(workflow, currentLevel) {
  const levels = workflow.levels || [];
  const initialLevel = workflow.initial_level || (levels[0] && levels[0].id);
  return h('div', {class: 'wf-ladder'},
    h('h3', {}, 'Escalatieladder'),
    h('ol', {class: 'ladder', 'data-testid': 'workflow-ladder'}, levels.map((l) =>
      h('li', {'data-level': l.id, class: l.id === currentLevel ? 'current' : null,
        'aria-current': l.id === currentLevel ? 'step' : null},
      l.label, l.id === initialLevel ? h('span', {class: 'muted'}, ' (beginniveau)') : null,
      l.id === currentLevel ? ' (huidig niveau)' : null))));
}

// The same content as a list, for screen readers and for checking.
function transitionsAsText(workflow, graph, traced) {
  const stateLabel = (id) => labelOfState(workflow, id);
  const items = [];
  for (const e of graph.edges) {
    const mark = levelMark(workflow, e.level);
    items.push(h('li', {class: traced && traced.edges.has(e.id) ? 'taken' : null},
      `${e.label}: ${stateLabel(e.from)} → ${stateLabel(e.to)}`, mark ? ` (${mark.title.toLowerCase()})` : '',
      traced && traced.edges.has(e.id) ? ' — genomen' : ''));
  }
  for (const st of graph.states) {
    for (const x of st.stays) {
      const mark = levelMark(workflow, x.level);
      items.push(h('li', {}, `${x.label}: blijft in ${st.label}`, mark ? ` (${mark.title.toLowerCase()})` : ''));
    }
  }
  return h('details', {class: 'wf-text'}, h('summary', {}, 'Overgangen als tekst'), h('ul', {}, items));
}
