#!/usr/bin/env node
// Checks the Grafana dashboards in dashboards/. Run through check.sh, which installs the npm
// packages first. Exit status 1 on any problem; every problem is printed.
//
// 1. dashboards/*.json are exactly what dashboards/src/build.mjs generates.
// 2. Structure: the four files with their fixed uids; unique panel ids; gridPos on the 24-column
//    grid without overlaps; every data source reference is the ${datasource} variable; every
//    panel but rows has a unit, a description and a no-data text; variables used are defined;
//    the provisioning files are there.
// 3. Queries: each parses (Prometheus' own Lezer grammar, and promtool), every metric name is
//    in docs/metrics.md, a vendor family of docs/vendors/*.md or a recording rule of the
//    contract; template variables only in =~ matchers; every selector filters on $target.
// 4. Types: the dashboards type-check (tsc) against @grafana/schema's Dashboard model, with
//    each panel's options and field config checked against its panel plugin's types.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { parser } from '@prometheus-io/lezer-promql';

import {
  BUILTIN_VARIABLES, DASHBOARDS, DEFAULT_VALUES, HERE, REPO, allPanels, loadDashboards,
  panelQueries, substitute, variableSelector, variablesIn,
} from './lib.mjs';

const problems = [];
const fail = (where, msg) => problems.push(`${where}: ${msg}`);

// The recording rules the dashboards may use: the names shared with the rules in
// deploy/prometheus (fixed; the rules may define more, the dashboards use only these).
export const RECORDING_RULES = new Set([
  'target_queue:callcenter_calls_offered:rate5m',
  'target_queue:callcenter_calls_answered:rate5m',
  'target_queue:callcenter_calls_abandoned:rate5m',
  'target_queue:callcenter_service_level:ratio',
  'target_queue:callcenter_calls_abandoned_per_offered:ratio_rate5m',
  'target_queue:callcenter_occupancy:ratio',
  'target:callcenter_calls_offered:rate5m',
  'target:callcenter_calls_answered:rate5m',
  'target:callcenter_calls_abandoned:rate5m',
  'target:callcenter_service_level:ratio',
  'target:callcenter_calls_abandoned_per_offered:ratio_rate5m',
  'target:callcenter_queue_longest_wait_seconds:max',
  'target:callcenter_queue_calls_waiting:sum',
  'target_state:callcenter_agents:count',
  'target_queue:callcenter_queue_average_wait_seconds',
]);

// Families without a target label (one per exporter process).
const UNTARGETED = new Set([
  'callcenter_exporter_build_info',
  'callcenter_config_last_reload_successful',
  'callcenter_config_last_reload_success_timestamp_seconds',
]);

const PANEL_TYPES = new Set(['row', 'stat', 'timeseries', 'table', 'state-timeline']);
const REFRESH = new Set(['15s', '30s', '1m', '5m']);
const DS = { type: 'prometheus', uid: '${datasource}' };

// ---------------------------------------------------------------------------------------------
// Metric names of the contract.
function tableRows(markdown) {
  return markdown.split('\n').filter((l) => /^\s*\|/.test(l) && !/^\s*\|[\s|:-]+\|\s*$/.test(l))
    .map((l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim()));
}

function knownMetrics() {
  const names = new Set();
  const metricsMd = readFileSync(join(REPO, 'docs', 'metrics.md'), 'utf8');
  // First column of every table: `callcenter_name` (+ labels ...).
  for (const row of tableRows(metricsMd)) {
    for (const m of row[0].matchAll(/`(callcenter_[a-z0-9_]+)`/g)) names.add(m[1]);
  }
  if (names.size < 30) fail('docs/metrics.md', `found only ${names.size} metric names in its tables`);
  // Vendor-specific families (callcenter_<vendor>_...), from the tables of docs/vendors/*.md.
  const vendorDir = join(REPO, 'docs', 'vendors');
  const vendorRe = /`(callcenter_(?:mixcall|huawei_cec|yunhu|ucontact)_[a-z0-9_]+)`/g;
  for (const f of readdirSync(vendorDir).filter((f) => f.endsWith('.md'))) {
    for (const row of tableRows(readFileSync(join(vendorDir, f), 'utf8'))) {
      for (const cell of row) for (const m of cell.matchAll(vendorRe)) names.add(m[1]);
    }
  }
  return names;
}

// Recording rules actually defined by the generated rule file, when it exists.
function definedRules() {
  const candidates = [join(REPO, 'deploy', 'prometheus', 'callcenter_rules.yml')];
  for (const path of candidates) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8');
      return { path, names: new Set([...text.matchAll(/^\s*-?\s*record:\s*['"]?([A-Za-z_:][\w:]*)/gm)].map((m) => m[1])) };
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// 1. Generated files are current.
async function checkGenerated(dashboards) {
  const { render } = await import(join(REPO, 'dashboards', 'src', 'build.mjs'));
  const expected = render();
  for (const d of dashboards) {
    if (expected[d.file] !== d.text) {
      fail(`dashboards/${d.file}`, 'differs from what dashboards/src/build.mjs generates (run node dashboards/src/build.mjs)');
    }
  }
  const extra = Object.keys(expected).filter((f) => !Object.hasOwn(DASHBOARDS, f));
  if (extra.length) fail('dashboards/src/build.mjs', `generates unexpected files ${extra.join(', ')}`);
}

// ---------------------------------------------------------------------------------------------
// 2. Structure.
function deepEqual(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

function walk(value, path, visit) {
  visit(value, path);
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) walk(v, `${path}.${k}`, visit);
  }
}

function checkGrid(where, panels) {
  const rects = [];
  let currentRowY = -1;
  for (const p of panels) {
    const g = p.gridPos;
    const at = `${where} panel ${p.id} "${p.title}"`;
    if (!g) { fail(at, 'no gridPos'); continue; }
    for (const k of ['x', 'y', 'w', 'h']) {
      if (!Number.isInteger(g[k]) || g[k] < 0) fail(at, `gridPos.${k} is not a non-negative integer`);
    }
    if (g.w < 1 || g.h < 1) fail(at, 'gridPos has no area');
    if (g.x + g.w > 24) fail(at, `gridPos reaches column ${g.x + g.w} (> 24)`);
    if (p.type === 'row') {
      if (g.x !== 0 || g.w !== 24 || g.h !== 1) fail(at, 'a row must be x 0, w 24, h 1');
      if (g.y <= currentRowY) fail(at, 'rows out of order');
      currentRowY = g.y;
    } else if (g.y <= currentRowY) {
      fail(at, `starts at y ${g.y}, not below its row (y ${currentRowY})`);
    }
    for (const r of rects) {
      if (g.x < r.g.x + r.g.w && r.g.x < g.x + g.w && g.y < r.g.y + r.g.h && r.g.y < g.y + g.h) {
        fail(at, `overlaps panel ${r.id} "${r.title}"`);
      }
    }
    rects.push({ g, id: p.id, title: p.title });
  }
}

function checkThresholds(at, t) {
  if (!t) return;
  if (!Array.isArray(t.steps) || t.steps.length === 0) { fail(at, 'thresholds without steps'); return; }
  if (t.steps[0].value !== null) fail(at, 'the first threshold step must have value null (base)');
  for (let i = 2; i < t.steps.length; i++) {
    if (!(t.steps[i].value > t.steps[i - 1].value)) fail(at, 'threshold steps are not ascending');
  }
}

function checkStructure(dashboards) {
  const uids = new Set();
  const titles = new Set();
  for (const { file, json: d } of dashboards) {
    const where = `dashboards/${file}`;
    if (d.uid !== DASHBOARDS[file]) fail(where, `uid is ${JSON.stringify(d.uid)}, expected ${DASHBOARDS[file]}`);
    if (uids.has(d.uid)) fail(where, `duplicate dashboard uid ${d.uid}`);
    uids.add(d.uid);
    if (!d.title || titles.has(d.title)) fail(where, `missing or duplicate title ${JSON.stringify(d.title)}`);
    titles.add(d.title);
    if (d.schemaVersion !== 39) fail(where, `schemaVersion ${d.schemaVersion}, expected 39`);
    if (!REFRESH.has(d.refresh)) fail(where, `refresh ${JSON.stringify(d.refresh)} not one of ${[...REFRESH]}`);
    if (d.uid === 'callcenter-wallboard' && d.refresh !== '15s') fail(where, 'the wallboard refreshes every 15s (the default poll interval)');
    if (!d.tags?.includes('callcenter')) fail(where, 'tag "callcenter" missing (the dashboard links use it)');
    if (!d.time?.from || !d.time?.to) fail(where, 'no default time range');
    if (d.__inputs || d.__requires) fail(where, 'has import placeholders (__inputs/__requires): provisioning would not resolve them');

    // Variables.
    const vars = d.templating?.list ?? [];
    const defined = new Set(vars.map((v) => v.name));
    const dsVar = vars.find((v) => v.name === 'datasource');
    if (!dsVar || dsVar.type !== 'datasource' || dsVar.query !== 'prometheus') {
      fail(where, 'needs a variable "datasource" of type datasource with query "prometheus"');
    }
    const targetVar = vars.find((v) => v.name === 'target');
    if (!targetVar || !targetVar.multi || !targetVar.includeAll
        || variableSelector(targetVar.query)?.selector !== 'callcenter_target_info' || variableSelector(targetVar.query)?.label !== 'target') {
      fail(where, 'needs a multi-value variable "target" with All, from label_values(callcenter_target_info, target)');
    }
    for (const v of vars) {
      if (v.type === 'query' && !deepEqual(v.datasource, DS)) fail(`${where} variable ${v.name}`, 'datasource must be ${datasource}');
      if (v.type === 'query' && !variableSelector(v.query)) fail(`${where} variable ${v.name}`, 'query must be label_values(selector, label)');
      if (v.name === 'queue') {
        const sel = variableSelector(v.query)?.selector ?? '';
        if (!/^callcenter_queue_agents\{/.test(sel)) {
          fail(`${where} variable queue`, 'must come from callcenter_queue_agents, the queue family every vendor has (yunhu has no callcenter_queue_info)');
        }
        if (!v.includeAll && !v.multi) fail(`${where} variable queue`, 'needs All or multi, so that Grafana regex-escapes the value');
      }
      for (const name of variablesIn(JSON.stringify(v.query ?? ''))) {
        if (!defined.has(name) || vars.findIndex((x) => x.name === name) >= vars.indexOf(v)) {
          fail(`${where} variable ${v.name}`, `uses $${name}, which is not a variable defined before it`);
        }
      }
    }

    // Data source references, uids, everywhere.
    walk(d, '$', (value, path) => {
      if (!value || typeof value !== 'object' || Array.isArray(value)) return;
      if ('datasource' in value && !deepEqual(value.datasource, DS)) {
        fail(where, `${path}.datasource is ${JSON.stringify(value.datasource)}, expected ${JSON.stringify(DS)}`);
      }
      if ('uid' in value && path !== '$' && !path.endsWith('.datasource')) {
        fail(where, `${path}.uid: a fixed uid (only the dashboard's own uid is allowed)`);
      }
    });
    if (/\$\{DS_|-- Grafana --/.test(JSON.stringify(d))) fail(where, 'refers to a data source other than ${datasource}');

    // Panels.
    const panels = allPanels(d);
    const ids = new Set();
    for (const p of panels) {
      const at = `${where} panel ${p.id} "${p.title}"`;
      if (!Number.isInteger(p.id) || p.id < 1) fail(at, 'id must be a positive integer');
      if (ids.has(p.id)) fail(at, `duplicate panel id ${p.id}`);
      ids.add(p.id);
      if (!PANEL_TYPES.has(p.type)) fail(at, `panel type ${p.type} is not one the checks know (${[...PANEL_TYPES]})`);
      if (!p.title) fail(at, 'no title');
      for (const name of variablesIn(p.title ?? '')) {
        if (!defined.has(name)) fail(at, `title uses undefined variable $${name}`);
      }
      if (p.repeat) {
        const v = vars.find((x) => x.name === p.repeat);
        if (!v) fail(at, `repeats on undefined variable ${p.repeat}`);
        else if (!v.multi && !v.includeAll) fail(at, `repeats on ${p.repeat}, which is neither multi-value nor All`);
      }
      if (p.type === 'row') {
        if (p.collapsed === false && (p.panels ?? []).length) fail(at, 'an expanded row must not hold panels');
        continue;
      }
      const defaults = p.fieldConfig?.defaults;
      if (typeof defaults?.unit !== 'string' || defaults.unit === '') fail(at, 'no unit (fieldConfig.defaults.unit)');
      if (!p.description) fail(at, 'no description (say which vendors supply the figure)');
      if (typeof defaults?.noValue !== 'string' || defaults.noValue === '') fail(at, 'no fieldConfig.defaults.noValue text');
      checkThresholds(at, defaults?.thresholds);
      for (const o of p.fieldConfig?.overrides ?? []) {
        for (const pr of o.properties) if (pr.id === 'thresholds') checkThresholds(at, pr.value);
      }

      // Queries.
      const targets = p.targets ?? [];
      if (!targets.length) fail(at, 'no queries');
      const refIds = new Set();
      for (const t of targets) {
        const tat = `${at} query ${t.refId}`;
        if (!/^[A-Z]$/.test(t.refId ?? '') || refIds.has(t.refId)) fail(tat, 'refId missing, not A-Z or duplicate');
        refIds.add(t.refId);
        if (typeof t.expr !== 'string' || !t.expr.trim()) fail(tat, 'empty expr');
        if (t.instant === t.range) fail(tat, 'exactly one of instant and range must be true');
        if (p.type === 'table' && (t.format !== 'table' || !t.instant)) fail(tat, 'table panels use instant queries with format table');
        if (p.type === 'timeseries' && t.instant) fail(tat, 'time series panels use range queries');
        for (const name of variablesIn(t.expr ?? '')) {
          if (!defined.has(name) && !BUILTIN_VARIABLES.has(name)) fail(tat, `uses undefined variable $${name}`);
        }
      }

      // Table columns: transformations refer to existing queries; overrides to existing columns.
      const organize = (p.transformations ?? []).find((t) => t.id === 'organize');
      for (const t of p.transformations ?? []) {
        if (!['merge', 'organize'].includes(t.id)) fail(at, `transformation ${t.id} is not one the checks know`);
      }
      if (organize) {
        const opts = organize.options;
        for (const key of [...Object.keys(opts.excludeByName ?? {}), ...Object.keys(opts.indexByName ?? {}), ...Object.keys(opts.renameByName ?? {})]) {
          const m = key.match(/^Value #([A-Z])$/);
          if (m && !refIds.has(m[1])) fail(at, `organize names "${key}" but there is no query ${m[1]}`);
        }
        for (const ref of refIds) {
          const col = `Value #${ref}`;
          if (!opts.excludeByName?.[col] && !opts.renameByName?.[col]) fail(at, `column "${col}" is neither renamed nor hidden`);
        }
        const columns = new Set(Object.values(opts.renameByName ?? {}));
        for (const o of p.fieldConfig.overrides) {
          if (o.matcher.id === 'byName' && !columns.has(o.matcher.options)) {
            fail(at, `override for column "${o.matcher.options}", which the organize step does not produce`);
          }
        }
      }
      if (p.type === 'table' && targets.length > 1 && !(p.transformations ?? []).some((t) => t.id === 'merge')) {
        fail(at, 'a table with several queries needs a merge transformation');
      }
    }
    checkGrid(where, d.panels ?? []);
    for (const row of (d.panels ?? []).filter((p) => p.type === 'row' && p.collapsed)) {
      checkGrid(`${where} row "${row.title}"`, row.panels ?? []);
    }
  }
}

// The provisioning files: a file provider, and a Prometheus data source with a fixed uid.
function checkProvisioning() {
  const dir = join(REPO, 'dashboards', 'provisioning');
  const read = (rel) => {
    try { return readFileSync(join(dir, rel), 'utf8'); } catch { fail(`dashboards/provisioning/${rel}`, 'missing'); return ''; }
  };
  const provider = read('dashboards/callcenter.yml');
  for (const re of [/^apiVersion: 1$/m, /^providers:$/m, /^\s+type: file$/m, /^\s+path: \S+/m]) {
    if (provider && !re.test(provider)) fail('dashboards/provisioning/dashboards/callcenter.yml', `no line matching ${re}`);
  }
  const ds = read('datasources/prometheus.yml');
  for (const re of [/^apiVersion: 1$/m, /^datasources:$/m, /^\s+type: prometheus$/m, /^\s+uid: [\w-]+$/m, /^\s+url: http:\/\/localhost:9090$/m]) {
    if (ds && !re.test(ds)) fail('dashboards/provisioning/datasources/prometheus.yml', `no line matching ${re}`);
  }
  if (/\t/.test(provider + ds)) fail('dashboards/provisioning', 'tab in a YAML file');
}

// ---------------------------------------------------------------------------------------------
// 3. Queries.
function analyse(expr) {
  const tree = parser.parse(expr);
  const errors = [];
  const metrics = [];
  const selectors = [];
  tree.iterate({
    enter(node) {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'VectorSelector') {
        const sel = { metric: null, matchers: [] };
        const n = node.node;
        for (let c = n.firstChild; c; c = c.nextSibling) {
          if (c.name === 'Identifier' || c.name === 'MetricIdentifier') sel.metric = expr.slice(c.from, c.to);
          if (c.name === 'LabelMatchers') {
            for (let m = c.firstChild; m; m = m.nextSibling) {
              if (m.name !== 'LabelMatcher' && m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
              const parts = {};
              for (let x = m.firstChild; x; x = x.nextSibling) parts[x.name] = expr.slice(x.from, x.to);
              sel.matchers.push({ label: parts.LabelName, op: parts.MatchOp, value: parts.StringLiteral });
            }
          }
        }
        selectors.push(sel);
        if (sel.metric) metrics.push(sel.metric);
      }
    },
  });
  return { errors, metrics, selectors };
}

function checkExpression(at, raw, known, usedRules) {
  // Variables appear only inside label matcher strings, and those use =~.
  const resolved = substitute(raw);
  if (/\$/.test(resolved)) fail(at, `variable left after substitution: ${resolved}`);
  const withVars = analyse(raw.replace(/\[\$[\w]+\]/g, '[1m]'));
  for (const sel of withVars.selectors) {
    for (const m of sel.matchers) {
      if (/\$/.test(m.value ?? '') && m.op !== '=~') {
        fail(at, `matcher ${m.label}${m.op}${m.value} uses a variable without =~ (multi-value and All need a regex)`);
      }
    }
  }
  const { errors, metrics, selectors } = analyse(resolved);
  if (errors.length) fail(at, `PromQL does not parse at offset ${errors[0]}: ${resolved}`);
  if (!selectors.length) fail(at, 'no series selector');
  for (const sel of selectors) {
    if (!sel.metric) { fail(at, 'a selector without metric name'); continue; }
    if (sel.matchers.some((m) => m.label === '__name__')) fail(at, 'selects by __name__');
    if (sel.metric.includes(':')) {
      if (!RECORDING_RULES.has(sel.metric)) fail(at, `${sel.metric} is not one of the recording rules of the contract`);
      usedRules.add(sel.metric);
    } else if (!known.has(sel.metric)) {
      fail(at, `${sel.metric} is not in docs/metrics.md nor a vendor family of docs/vendors/*.md`);
    }
  }
  // Every selector of a family with a target label filters on $target.
  for (const sel of withVars.selectors) {
    if (sel.metric && !UNTARGETED.has(sel.metric)
        && !sel.matchers.some((m) => m.label === 'target' && m.op === '=~' && m.value === '"$target"')) {
      fail(at, `${sel.metric} is not filtered with target=~"$target"`);
    }
  }
  return resolved;
}

function checkQueries(dashboards, known) {
  const usedRules = new Set();
  const all = [];
  for (const q of panelQueries(dashboards)) {
    const at = `${q.dashboard} panel ${q.panel} "${q.title}" query ${q.refId}`;
    all.push({ at, promql: checkExpression(at, q.expr, known, usedRules) });
  }
  for (const d of dashboards) {
    for (const v of d.json.templating?.list ?? []) {
      const sel = variableSelector(v.query);
      if (!sel) continue;
      const at = `${d.json.uid} variable ${v.name}`;
      const { errors, metrics } = analyse(substitute(sel.selector));
      if (errors.length) fail(at, `selector does not parse: ${sel.selector}`);
      for (const m of metrics) if (!known.has(m)) fail(at, `${m} is not in docs/metrics.md`);
      all.push({ at, promql: substitute(sel.selector) });
    }
  }
  const rules = definedRules();
  if (rules) {
    for (const r of usedRules) {
      if (!rules.names.has(r)) fail(rules.path.slice(REPO.length + 1), `does not record ${r}, which a dashboard uses`);
    }
  }
  return { all, usedRules, rules };
}

// promtool (Prometheus' own parser) reads every query as a recording rule.
function checkWithPromtool(all) {
  const dir = join(HERE, '.gen');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'queries.rules.yml');
  const groups = [{ name: 'dashboard-queries', rules: all.map((q, i) => ({ record: `dashboard:query_${i}:check`, expr: q.promql })) }];
  writeFileSync(file, JSON.stringify({ groups }, null, 1) + '\n'); // JSON is YAML
  const r = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
  if (r.error) { fail('promtool', `cannot run: ${r.error.message} (Debian package: prometheus)`); return; }
  if (r.status !== 0) {
    const out = (r.stdout + r.stderr).trim();
    const m = [...out.matchAll(/query_(\d+)/g)].map((x) => Number(x[1]));
    fail('promtool check rules', out.split('\n').slice(0, 8).join(' | ') + (m.length ? ` (first: ${all[m[0]].at})` : ''));
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Types: a TypeScript file that assigns each dashboard, as an object literal, to the schema's
// types. Literal types are kept (string enums are compared by value through Lit<>), and object
// literals get TypeScript's excess-property check, so misspelt or unknown keys fail too.
const PANEL_TYPE_TS = {
  stat: { type: 'StatPanel' },
  timeseries: { type: 'TimeSeriesPanel' },
  table: { type: 'TablePanel' },
  'state-timeline': { type: 'StateTimelinePanel' },
  row: { type: 'Row' },
};
const CUSTOM_TS = { stat: 'NoCustom', timeseries: 'TimeSeries.FieldConfig', table: 'Table.FieldConfig', 'state-timeline': 'StateTimeline.FieldConfig' };

function typeScriptSource(dashboards) {
  const lines = [
    '// Generated by tests/dashboards/check.mjs: do not edit.',
    "import type { Dashboard, FieldConfig, FieldConfigSource, Panel, RowPanel } from '@grafana/schema';",
    "import type * as Stat from '@grafana/schema/dist/esm/raw/composable/stat/panelcfg/x/StatPanelCfg_types.gen';",
    "import type * as TimeSeries from '@grafana/schema/dist/esm/raw/composable/timeseries/panelcfg/x/TimeSeriesPanelCfg_types.gen';",
    "import type * as Table from '@grafana/schema/dist/esm/raw/composable/table/panelcfg/x/TablePanelCfg_types.gen';",
    "import type * as StateTimeline from '@grafana/schema/dist/esm/raw/composable/statetimeline/panelcfg/x/StateTimelinePanelCfg_types.gen';",
    '',
    '// JSON has no enums: a string enum is compared by its values.',
    'type Lit<T> = T extends string ? `${T}`',
    '  : T extends number | boolean | null | undefined ? T',
    '  : T extends ReadonlyArray<infer U> ? Array<Lit<U>>',
    '  : T extends object ? { [K in keyof T]: Lit<T[K]> }',
    '  : T;',
    'type NoCustom = Record<string, never>;',
    'type Fields<C> = Omit<FieldConfigSource, "defaults"> & { defaults: Omit<FieldConfig, "custom"> & { custom?: C } };',
    'type Typed<T extends string, O, C> = Lit<Omit<Panel, "type" | "options" | "fieldConfig"> & { type: T; options: O; fieldConfig: Fields<C> }>;',
    'type StatPanel = Typed<"stat", Stat.Options, NoCustom>;',
    'type TimeSeriesPanel = Typed<"timeseries", TimeSeries.Options, TimeSeries.FieldConfig>;',
    'type TablePanel = Typed<"table", Table.Options, Table.FieldConfig>;',
    'type StateTimelinePanel = Typed<"state-timeline", StateTimeline.Options, StateTimeline.FieldConfig>;',
    'type Row = Lit<RowPanel>;',
    '// The value type of a field-config override property, by its id.',
    'type Prop<C, K extends string> = K extends `custom.${infer P}` ? (P extends keyof C ? Lit<NonNullable<C[P]>> : never)',
    '  : K extends keyof FieldConfig ? Lit<NonNullable<FieldConfig[K]>> : never;',
    '',
  ];
  dashboards.forEach((d, di) => {
    const names = [];
    for (const p of d.json.panels ?? []) {
      const name = `d${di}_p${p.id}`;
      names.push(name);
      const ts = PANEL_TYPE_TS[p.type];
      if (!ts) continue; // reported by the structure check
      lines.push(`// ${d.file} panel ${p.id}: ${JSON.stringify(p.title)}`);
      lines.push(`const ${name}: ${ts.type} = ${JSON.stringify(p, null, 1)};`);
      (p.fieldConfig?.overrides ?? []).forEach((o, oi) => {
        o.properties.forEach((pr, pi) => {
          lines.push(`const ${name}_o${oi}_${pi}: Prop<${CUSTOM_TS[p.type]}, ${JSON.stringify(pr.id)}> = ${JSON.stringify(pr.value)};`);
        });
      });
    }
    const body = { ...d.json, panels: '__PANELS__' };
    lines.push(`// ${d.file}`);
    lines.push(`export const d${di}: Lit<Dashboard> = ${JSON.stringify(body, null, 1).replace('"__PANELS__"', `[${names.join(', ')}]`)};`);
    lines.push('');
  });
  return lines.join('\n');
}

function checkTypes(dashboards) {
  const dir = join(HERE, '.gen');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'dashboards.ts'), typeScriptSource(dashboards));
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'ES2020', module: 'commonjs', moduleResolution: 'node10',
      skipLibCheck: true, types: [], noUnusedLocals: false,
    },
    files: ['dashboards.ts'],
  }, null, 2));
  const tsc = join(HERE, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'], { encoding: 'utf8' });
  if (r.status !== 0) {
    const out = (r.stdout + r.stderr).trim().split('\n');
    fail('tsc (@grafana/schema types)', `${out.length} line(s) of errors, in tests/dashboards/.gen/dashboards.ts:\n    ${out.slice(0, 20).join('\n    ')}`);
  }
}

// ---------------------------------------------------------------------------------------------
const dashboards = loadDashboards();
await checkGenerated(dashboards);
checkStructure(dashboards);
checkProvisioning();
const known = knownMetrics();
const { all, usedRules, rules } = checkQueries(dashboards, known);
checkWithPromtool(all);
checkTypes(dashboards);

const panelCount = dashboards.reduce((n, d) => n + allPanels(d.json).filter((p) => p.type !== 'row').length, 0);
if (!rules) {
  console.log(`note: deploy/prometheus/callcenter_rules.yml not found: the ${usedRules.size} recording rules used were checked against the contract's names only`);
}
if (problems.length) {
  for (const p of problems) console.error(`FAIL ${p}`);
  console.error(`${problems.length} problem(s); ${dashboards.length} dashboards, ${panelCount} panels checked`);
  process.exit(1);
}
console.log(`${all.length} queries parsed (lezer-promql, promtool), ${known.size} contract metric names, ${usedRules.size} recording rules used`);
console.log(`${dashboards.length} dashboards, ${panelCount} panels checked`);
// `check.sh --clean` removes the generated files (tests/dashboards/.gen) afterwards.
if (process.argv.includes('--clean')) rmSync(join(HERE, '.gen'), { recursive: true, force: true });
