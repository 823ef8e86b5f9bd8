// Building blocks of the dashboards: panels, queries, variables and a flow layout.
// Plain Node.js (no packages), so `node dashboards/src/build.mjs` works anywhere Node 18+ does.

// Every panel and query uses the dashboard's data source variable, never a fixed uid.
export const DS = Object.freeze({ type: 'prometheus', uid: '${datasource}' });

export const SCHEMA_VERSION = 39; // the Grafana 10.4 / 11.0 dashboard model

// Colours of the normalised agent states (docs/metrics.md), used by every dashboard.
export const STATES = [
  { state: 'available', text: 'Available', color: 'green' },
  { state: 'ringing', text: 'Ringing', color: 'light-blue' },
  { state: 'on_call', text: 'On call', color: 'blue' },
  { state: 'on_hold', text: 'On hold', color: 'dark-blue' },
  { state: 'wrap_up', text: 'Wrap-up', color: 'purple' },
  { state: 'not_ready', text: 'Not ready', color: 'orange' },
  { state: 'break', text: 'Break', color: 'yellow' },
  { state: 'offline', text: 'Offline', color: '#8e8e8e' },
  { state: 'unknown', text: 'Unknown', color: 'red' },
];

// Traffic-light thresholds. `steps(['green', null], ['orange', 3], ['red', 6])`.
export function steps(...pairs) {
  return {
    mode: 'absolute',
    steps: pairs.map(([color, value]) => ({ color, value })),
  };
}

export const stateValueMappings = () => [
  {
    type: 'value',
    options: Object.fromEntries(
      STATES.map((s, index) => [s.state, { color: s.color, index, text: s.text }]),
    ),
  },
];

export function query(expr, { legend, instant = false, format, interval } = {}) {
  const t = {
    datasource: DS,
    editorMode: 'code',
    expr: expr.trim().replace(/\n\s*/g, '\n  '),
    instant,
    range: !instant,
    legendFormat: legend ?? '__auto',
  };
  if (format) t.format = format;
  if (interval) t.interval = interval;
  return t;
}

// A panel of any type. `unit` is required for everything but text and row panels
// (tests/dashboards checks that).
export function panel(type, o) {
  const p = { type, title: o.title };
  if (o.description) p.description = o.description;
  p.datasource = DS;
  if (o.targets) {
    p.targets = o.targets.map((t, i) => ({ ...t, refId: String.fromCharCode(65 + i) }));
  }
  const defaults = {};
  if (o.unit !== undefined) defaults.unit = o.unit;
  if (o.decimals !== undefined) defaults.decimals = o.decimals;
  if (o.min !== undefined) defaults.min = o.min;
  if (o.max !== undefined) defaults.max = o.max;
  if (o.noValue !== undefined) defaults.noValue = o.noValue;
  defaults.color = o.color ?? { mode: 'thresholds' };
  defaults.thresholds = o.thresholds ?? steps(['green', null]);
  if (o.mappings) defaults.mappings = o.mappings;
  if (o.custom) defaults.custom = o.custom;
  p.fieldConfig = { defaults, overrides: o.overrides ?? [] };
  if (o.options) p.options = o.options;
  if (o.transformations) p.transformations = o.transformations;
  if (o.maxDataPoints) p.maxDataPoints = o.maxDataPoints;
  return p;
}

export function stat(o) {
  return panel('stat', {
    ...o,
    options: {
      reduceOptions: { values: false, calcs: ['lastNotNull'], fields: '' },
      orientation: o.orientation ?? 'auto',
      textMode: o.textMode ?? 'auto',
      colorMode: o.colorMode ?? 'background',
      graphMode: o.graphMode ?? 'none',
      justifyMode: 'center',
      wideLayout: true,
      showPercentChange: false,
      text: o.text ?? {},
    },
  });
}

export function timeseries(o) {
  const custom = {
    drawStyle: o.drawStyle ?? 'line',
    lineWidth: o.lineWidth ?? 1,
    fillOpacity: o.fillOpacity ?? (o.stacked ? 70 : 10),
    gradientMode: 'none',
    showPoints: 'never',
    pointSize: 4,
    spanNulls: false,
    axisSoftMin: 0,
    axisBorderShow: false,
    axisPlacement: 'auto',
    axisLabel: '',
    stacking: { mode: o.stacked ? 'normal' : 'none', group: 'A' },
    thresholdsStyle: { mode: o.thresholdsStyle ?? 'off' },
  };
  if (o.lineInterpolation) custom.lineInterpolation = o.lineInterpolation;
  return panel('timeseries', {
    ...o,
    custom,
    color: o.color ?? { mode: 'palette-classic' },
    options: {
      legend: {
        showLegend: true,
        displayMode: o.legendMode ?? 'list',
        placement: 'bottom',
        calcs: o.legendCalcs ?? [],
      },
      tooltip: { mode: 'multi', sort: 'desc' },
    },
  });
}

export function table(o) {
  return panel('table', {
    ...o,
    custom: {
      align: 'auto',
      cellOptions: { type: 'auto' },
      inspect: false,
      filterable: o.filterable ?? false,
    },
    options: {
      showHeader: true,
      cellHeight: 'sm',
      frameIndex: 0,
      footer: { show: false, reducer: ['sum'], countRows: false, fields: [] },
      sortBy: o.sortBy ?? [],
    },
  });
}

export function stateTimeline(o) {
  return panel('state-timeline', {
    ...o,
    custom: { lineWidth: 0, fillOpacity: 80, hideFrom: { legend: false, tooltip: false, viz: false } },
    options: {
      mergeValues: true,
      showValue: 'auto',
      alignValue: 'center',
      rowHeight: 0.9,
      legend: { showLegend: false, displayMode: 'list', placement: 'bottom', calcs: [] },
      tooltip: { mode: 'single', sort: 'none' },
    },
  });
}

// Override helpers.
export const byName = (name, properties) => ({
  matcher: { id: 'byName', options: name },
  properties,
});
export const byRefId = (refId, properties) => ({
  matcher: { id: 'byFrameRefID', options: refId },
  properties,
});
export const prop = (id, value) => ({ id, value });
export const fixedColor = (color) => prop('color', { mode: 'fixed', fixedColor: color });

// Flow layout: panels go left to right on a 24-column grid; a line that is full wraps below
// the tallest panel of the line; a row starts a new line. Ids are assigned in order.
export class Layout {
  constructor() {
    this.panels = [];
    this.x = 0;
    this.y = 0;
    this.lineHeight = 0;
    this.nextId = 1;
  }

  newline() {
    if (this.x > 0) {
      this.y += this.lineHeight;
      this.x = 0;
      this.lineHeight = 0;
    }
  }

  row(title, extra = {}) {
    this.newline();
    this.panels.push({
      type: 'row',
      title,
      collapsed: false,
      gridPos: { h: 1, w: 24, x: 0, y: this.y },
      id: this.nextId++,
      panels: [],
      ...extra,
    });
    this.y += 1;
    return this;
  }

  add(p, w, h) {
    if (this.x + w > 24) this.newline();
    const { type, title, description, ...rest } = p;
    const placed = { type, title };
    if (description !== undefined) placed.description = description;
    placed.gridPos = { h, w, x: this.x, y: this.y };
    placed.id = this.nextId++;
    Object.assign(placed, rest);
    this.panels.push(placed);
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
    return this;
  }
}

// Variables.
export function datasourceVariable() {
  return {
    name: 'datasource',
    label: 'Data source',
    type: 'datasource',
    query: 'prometheus',
    hide: 0,
    includeAll: false,
    multi: false,
    options: [],
    refresh: 1,
    regex: '',
    skipUrlSync: false,
  };
}

const ALL = { selected: true, text: ['All'], value: ['$__all'] };

export function queryVariable({ name, label, query: q, multi = true, includeAll = true, description }) {
  const v = {
    name,
    label,
    type: 'query',
    datasource: DS,
    query: q,
    hide: 0,
    includeAll,
    multi,
    options: [],
    refresh: 2,
    regex: '',
    skipUrlSync: false,
    sort: 7,
  };
  if (includeAll) v.current = ALL;
  if (description) v.description = description;
  return v;
}

export const targetVariable = () =>
  queryVariable({
    name: 'target',
    label: 'Target',
    query: 'label_values(callcenter_target_info, target)',
    description: 'Configured targets of the exporter (callcenter_target_info).',
  });

// callcenter_queue_agents is the one queue family every vendor has (yunhu has no
// callcenter_queue_info).
export const queueVariable = (opts = {}) =>
  queryVariable({
    name: 'queue',
    label: 'Queue',
    query: 'label_values(callcenter_queue_agents{target=~"$target"}, queue)',
    description: 'Queues of the selected targets (from callcenter_queue_agents, which every vendor has).',
    ...opts,
  });

export function dashboard({ uid, title, description, tags = [], refresh, time, panels, variables, graphTooltip = 1 }) {
  return {
    uid,
    title,
    description,
    tags: ['callcenter', ...tags],
    editable: true,
    fiscalYearStartMonth: 0,
    graphTooltip,
    id: null,
    links: [
      {
        title: 'Call center',
        type: 'dashboards',
        tags: ['callcenter'],
        asDropdown: true,
        icon: 'external link',
        includeVars: true,
        keepTime: true,
        targetBlank: false,
        tooltip: 'The other call-center dashboards, with the same target and queue',
      },
    ],
    liveNow: false,
    annotations: { list: [] },
    panels,
    refresh,
    schemaVersion: SCHEMA_VERSION,
    templating: { list: variables },
    time,
    timepicker: { refresh_intervals: ['15s', '30s', '1m', '5m', '15m'] },
    timezone: 'browser',
    version: 1,
    weekStart: '',
  };
}
