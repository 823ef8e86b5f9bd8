#!/usr/bin/env node
// Runs every panel query of the dashboards against a live Prometheus that scrapes the exporter
// (with the recording rules of deploy/prometheus loaded) and tells, per panel and per vendor,
// whether the panel has data. Not part of check.sh: it needs a running exporter and Prometheus.
//
//   node tests/dashboards/live_check.mjs [-v] [http://127.0.0.1:9090]
//   (-v: also one line per query and vendor without data)
//
// For each vendor it takes one target of callcenter_target_info{vendor} and substitutes it for
// $target ($queue -> .+, $__rate_interval -> 1m, $__range -> 1h). A panel has data for a vendor
// when at least one of its queries returns a sample. Exit status 1 when a query fails to run
// (bad PromQL), not for missing data: some panels are vendor-specific by design.
import { DEFAULT_VALUES, loadDashboards, panelQueries, substitute } from './lib.mjs';

const args = process.argv.slice(2);
const verbose = args.includes('-v');
const base = (args.find((a) => a !== '-v') ?? 'http://127.0.0.1:9090').replace(/\/$/, '');

async function instant(promql) {
  const res = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = await res.json();
  if (body.status !== 'success') throw new Error(`${body.errorType}: ${body.error}`);
  return body.data.result;
}

const escapeRegex = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\\/g, '\\\\');

const targets = await instant('max by (vendor, target) (callcenter_target_info)');
const byVendor = new Map();
for (const s of targets) if (!byVendor.has(s.metric.vendor)) byVendor.set(s.metric.vendor, s.metric.target);
if (!byVendor.size) {
  console.error(`no callcenter_target_info at ${base}`);
  process.exit(1);
}
const vendors = [...byVendor.keys()].sort();

const panels = new Map();
let errors = 0;
for (const q of panelQueries(loadDashboards())) {
  const key = `${q.dashboard} #${q.panel} ${q.title}`;
  if (!panels.has(key)) panels.set(key, Object.fromEntries(vendors.map((v) => [v, false])));
  for (const v of vendors) {
    const promql = substitute(q.expr, { ...DEFAULT_VALUES, target: escapeRegex(byVendor.get(v)) });
    try {
      if ((await instant(promql)).length) panels.get(key)[v] = true;
      else if (verbose) console.log(`  no data: ${key} query ${q.refId} (${v})`);
    } catch (e) {
      console.error(`ERROR ${key} ${q.refId} (${v}): ${e.message}\n  ${promql}`);
      errors++;
    }
  }
}

for (const [key, has] of panels) {
  const missing = vendors.filter((v) => !has[v]);
  console.log(`${missing.length ? 'no data for ' + missing.join(', ') : 'data for all'}: ${key}`);
}
const complete = [...panels.values()].filter((h) => vendors.every((v) => h[v])).length;
console.log(`${panels.size} panels, ${complete} with data for every vendor (${vendors.join(', ')}), ${errors} query errors`);
process.exit(errors ? 1 : 0);
