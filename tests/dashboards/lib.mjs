// Shared by check.mjs, list_exprs.mjs and live_check.mjs: where the dashboards are, how to walk
// their panels and queries, and how to turn a query into plain PromQL.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..');
export const DASHBOARD_DIR = join(REPO, 'dashboards');

// The fixed set: file name -> dashboard uid.
export const DASHBOARDS = {
  'callcenter-wallboard.json': 'callcenter-wallboard',
  'callcenter-queue.json': 'callcenter-queue',
  'callcenter-agents.json': 'callcenter-agents',
  'callcenter-exporter.json': 'callcenter-exporter',
};

export function loadDashboards() {
  return Object.keys(DASHBOARDS).map((file) => {
    const path = join(DASHBOARD_DIR, file);
    const text = readFileSync(path, 'utf8');
    return { file, path, text, json: JSON.parse(text) };
  });
}

// Every panel, rows included, with the panels of collapsed rows after their row.
export function allPanels(dashboard) {
  const out = [];
  for (const p of dashboard.panels ?? []) {
    out.push(p);
    if (p.type === 'row') for (const c of p.panels ?? []) out.push(c);
  }
  return out;
}

// Values a test substitutes for the dashboard variables to get plain PromQL.
// $target and $queue become regexes matching everything (the dashboards use =~ for them).
export const DEFAULT_VALUES = {
  target: '.+',
  queue: '.+',
  datasource: 'prometheus',
  __rate_interval: '1m',
  __interval: '1m',
  __interval_ms: '60000',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

export const BUILTIN_VARIABLES = new Set([
  '__rate_interval', '__interval', '__interval_ms', '__range', '__range_s', '__range_ms',
]);

const VAR_RE = /\$\{([A-Za-z_]\w*)(?:[:.][^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::\w+)?\]\]/g;

export function variablesIn(text) {
  const names = [];
  for (const m of text.matchAll(VAR_RE)) names.push(m[1] ?? m[2] ?? m[3]);
  return names;
}

export function substitute(text, values = DEFAULT_VALUES) {
  return text.replace(VAR_RE, (whole, a, b, c) => {
    const name = a ?? b ?? c;
    return Object.hasOwn(values, name) ? values[name] : whole;
  });
}

// One record per query of every panel: {dashboard, panel, title, refId, instant, expr}.
export function panelQueries(dashboards) {
  const out = [];
  for (const d of dashboards) {
    for (const p of allPanels(d.json)) {
      for (const t of p.targets ?? []) {
        out.push({
          dashboard: d.json.uid,
          panel: p.id,
          title: p.title,
          type: p.type,
          refId: t.refId,
          instant: t.instant === true,
          expr: t.expr,
        });
      }
    }
  }
  return out;
}

// The selector inside label_values(selector, label), for variable queries.
export function variableSelector(query) {
  const q = typeof query === 'string' ? query : query?.query;
  if (typeof q !== 'string') return null;
  const m = q.match(/^\s*label_values\((.*),\s*([A-Za-z_]\w*)\s*\)\s*$/s);
  return m ? { selector: m[1], label: m[2] } : null;
}
