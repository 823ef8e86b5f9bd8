#!/usr/bin/env node
// Generates the Grafana dashboards dashboards/*.json.
//
//   node dashboards/src/build.mjs           write the four JSON files
//   node dashboards/src/build.mjs --check   exit 1 if a committed file differs from the output
//
// Edit the dashboards here, not in the JSON: tests/dashboards/check.sh fails when the JSON
// differs from what this script writes.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import {
  Layout, STATES, byName, byRefId, dashboard, datasourceVariable, fixedColor, prop, query,
  queueVariable, stat, stateTimeline, stateValueMappings, steps, table, targetVariable,
  timeseries,
} from './lib.mjs';

const OUT = join(dirname(fileURLToPath(import.meta.url)), '..');

const TG = 'target=~"$target"';
const TQ = 'target=~"$target", queue=~"$queue"';
// Keeps agents that are members of the selected queues.
const IN_QUEUES = `and on (target, agent) callcenter_queue_member_info{${TQ}}`;

// Who supplies what (docs/metrics.md, docs/vendors/*.md), for descriptions and no-data texts.
const V = {
  waiting: 'MixCall (wait), Huawei CEC (queueSize) and uContact (callers). yunhu does not supply it.',
  longest: 'MixCall (maxwaittime), Huawei CEC (queueTime) and uContact (longestHoldTime). yunhu does not supply it.',
  sl: 'MixCall (servicelevelperf) and uContact (servicelevel) report their own figure: calls answered within the queue\'s threshold / calls answered, since the vendor last reset its statistics. Huawei CEC: calls answered within 20 s / calls offered over the last 5 minutes (absent while no call is offered). yunhu does not supply it.',
  slThreshold: 'MixCall (servicelevel) and uContact (slevelthreshold) configure it per queue; Huawei CEC counts calls answered within a fixed 20 s. yunhu does not supply it.',
  abandon: 'Calls abandoned / calls offered over 5 minutes. MixCall (offered = answered + abandoned), Huawei CEC (its 5-minute window) and uContact (totalcalls). Absent while no call is offered. yunhu does not supply it.',
  rates: 'MixCall: answered (completed) and abandoned; offered is their sum. uContact: totalcalls, completed, abandoned. Huawei CEC: from its 5-minute window counts. yunhu does not supply call counts.',
  asa: 'MixCall (holdtime) and uContact (holdTime). Huawei CEC and yunhu do not supply an average wait.',
  queueAgents: 'Counted by the exporter from each vendor\'s agent list: every vendor supplies it. Which states a vendor can report: MixCall has no wrap-up or break; yunhu has no on hold, wrap-up or break; uContact has no break; Huawei CEC has no ringing or on hold.',
};
const NO = {
  yunhu: 'Not supplied (yunhu)',
  calls: 'No calls, or not supplied (yunhu)',
  asa: 'Not supplied (Huawei CEC, yunhu)',
  huawei: 'Huawei CEC only: no data for this vendor',
};

const stateColor = Object.fromEntries(STATES.map((s) => [s.state, s.color]));
const stateOverrides = () => STATES.map((s) => byName(s.state, [fixedColor(s.color)]));

// ---------------------------------------------------------------------------------------------
// 1. Floor wallboard
// ---------------------------------------------------------------------------------------------
function wallboard() {
  const L = new Layout();
  const big = { graphMode: 'none', colorMode: 'background' };

  L.row('Totals per target (all queues)');
  L.add(stat({
    ...big,
    title: 'Calls waiting',
    description: `Calls waiting in all queues of each target. ${V.waiting}`,
    targets: [query(`sum by (target) (callcenter_queue_calls_waiting{${TG}})`, { instant: true, legend: '{{target}}' })],
    unit: 'short', decimals: 0, noValue: NO.yunhu,
    thresholds: steps(['green', null], ['orange', 3], ['red', 6]),
  }), 4, 4);
  L.add(stat({
    ...big,
    title: 'Longest wait',
    description: `Longest wait of a call now waiting, over all queues of each target. ${V.longest}`,
    targets: [query(`max by (target) (callcenter_queue_longest_wait_seconds{${TG}})`, { instant: true, legend: '{{target}}' })],
    unit: 's', decimals: 0, noValue: NO.yunhu,
    thresholds: steps(['green', null], ['orange', 20], ['red', 60]),
  }), 4, 4);
  L.add(stat({
    ...big,
    title: 'Service level',
    description: `Service level of each target, weighted by the calls each queue covers (recording rule target:callcenter_service_level:ratio). ${V.sl} Red below 70 %, amber below 80 %.`,
    targets: [query('max by (target) (target:callcenter_service_level:ratio{' + TG + '})', { instant: true, legend: '{{target}}' })],
    unit: 'percentunit', decimals: 0, noValue: NO.calls,
    thresholds: steps(['red', null], ['orange', 0.7], ['green', 0.8]),
  }), 4, 4);
  L.add(stat({
    ...big,
    title: 'Abandoned',
    description: `Abandon rate of each target (recording rule target:callcenter_calls_abandoned_per_offered:ratio_rate5m). ${V.abandon} Amber from 5 %, red from 10 %.`,
    targets: [query('max by (target) (target:callcenter_calls_abandoned_per_offered:ratio_rate5m{' + TG + '})', { instant: true, legend: '{{target}}' })],
    unit: 'percentunit', decimals: 1, noValue: NO.calls,
    thresholds: steps(['green', null], ['orange', 0.05], ['red', 0.1]),
  }), 4, 4);
  L.add(stat({
    ...big,
    title: 'Agents available',
    description: 'Distinct agents in state available, per target (callcenter_agent_state; every vendor). Absent for a target with agent_metrics: false.',
    targets: [query(`sum by (target) (callcenter_agent_state{${TG}, state="available"})`, { instant: true, legend: '{{target}}' })],
    unit: 'short', decimals: 0, noValue: 'No agent series (agent_metrics: false?)',
    thresholds: steps(['red', null], ['green', 1]),
  }), 4, 4);
  L.add(stat({
    ...big,
    title: 'Agents on call',
    description: 'Distinct agents on a call (on_call or on_hold), per target (callcenter_agent_state; every vendor). Absent for a target with agent_metrics: false.',
    targets: [query(`sum by (target) (callcenter_agent_state{${TG}, state=~"on_call|on_hold"})`, { instant: true, legend: '{{target}}' })],
    unit: 'short', decimals: 0, noValue: 'No agent series (agent_metrics: false?)',
    color: { mode: 'fixed', fixedColor: stateColor.on_call },
  }), 4, 4);

  // One row per queue: Grafana repeats the row (and the panels below it) for each selected queue.
  L.row('Queue $queue', { repeat: 'queue' });
  const perQueue = (legend = '{{target}}') => ({ instant: true, legend });
  L.add(stat({
    ...big,
    title: 'Waiting',
    description: `Calls waiting in the queue now. ${V.waiting} Amber from 3, red from 6: adjust to the queue.`,
    targets: [query(`max by (target, queue) (callcenter_queue_calls_waiting{${TQ}})`, perQueue())],
    unit: 'short', decimals: 0, noValue: NO.yunhu,
    thresholds: steps(['green', null], ['orange', 3], ['red', 6]),
  }), 5, 5);
  L.add(stat({
    ...big,
    title: 'Longest wait',
    description: `How long the oldest call now waiting has waited. ${V.longest} Amber from 20 s, red from 60 s.`,
    targets: [query(`max by (target, queue) (callcenter_queue_longest_wait_seconds{${TQ}})`, perQueue())],
    unit: 's', decimals: 0, noValue: NO.yunhu,
    thresholds: steps(['green', null], ['orange', 20], ['red', 60]),
  }), 5, 5);
  L.add(stat({
    ...big,
    title: 'Service level',
    description: `Share of calls answered within the service-level threshold (tile "SL threshold"); recording rule target_queue:callcenter_service_level:ratio. ${V.sl} Red below 70 %, amber below 80 %.`,
    targets: [query('max by (target, queue) (target_queue:callcenter_service_level:ratio{' + TQ + '})', perQueue())],
    unit: 'percentunit', decimals: 0, noValue: NO.calls,
    thresholds: steps(['red', null], ['orange', 0.7], ['green', 0.8]),
  }), 6, 5);
  L.add(stat({
    ...big,
    title: 'SL threshold',
    description: `The wait within which a call counts as answered in time. ${V.slThreshold}`,
    targets: [query(
      `max by (target, queue) (callcenter_queue_service_level_threshold_seconds{${TQ}})
       or
       (20 + 0 * max by (target, queue) (callcenter_queue_window_calls_answered_within_20s{${TQ}}))`,
      perQueue(),
    )],
    unit: 's', decimals: 0, noValue: NO.yunhu,
    colorMode: 'none',
    color: { mode: 'fixed', fixedColor: 'text' },
  }), 3, 5);
  L.add(stat({
    ...big,
    title: 'Abandoned',
    description: `Abandon rate over the last 5 minutes (recording rule target_queue:callcenter_calls_abandoned_per_offered:ratio_rate5m). ${V.abandon} Amber from 5 %, red from 10 %.`,
    targets: [query('max by (target, queue) (target_queue:callcenter_calls_abandoned_per_offered:ratio_rate5m{' + TQ + '})', perQueue())],
    unit: 'percentunit', decimals: 1, noValue: NO.calls,
    thresholds: steps(['green', null], ['orange', 0.05], ['red', 0.1]),
  }), 5, 5);

  const agentTile = (title, states, note, color, thresholds) => stat({
    ...big,
    title,
    description: `Members of the queue in state ${states.replaceAll('|', ' or ')} (callcenter_queue_agents). ${note}`,
    targets: [query(`sum by (target, queue) (max by (target, queue, state) (callcenter_queue_agents{${TQ}, state=~"${states}"}))`, perQueue())],
    unit: 'short', decimals: 0, noValue: 'No data',
    ...(thresholds ? { thresholds } : { color: { mode: 'fixed', fixedColor: color } }),
  });
  L.add(agentTile('Available', 'available', 'Every vendor. Red when nobody is available.', null, steps(['red', null], ['green', 1])), 4, 4);
  L.add(agentTile('On call', 'on_call|on_hold', 'Every vendor (on hold: MixCall and uContact only).', stateColor.on_call), 4, 4);
  L.add(agentTile('Wrap-up', 'wrap_up', 'Huawei CEC and uContact only: always 0 for MixCall and yunhu, which do not report wrap-up.', stateColor.wrap_up), 4, 4);
  L.add(agentTile('Not ready', 'not_ready', 'Every vendor (busy, DND or paused).', stateColor.not_ready), 4, 4);
  L.add(agentTile('Break', 'break', 'Huawei CEC only: always 0 for the other vendors, which do not report breaks.', stateColor.break), 4, 4);
  L.add(agentTile('Offline', 'offline', 'Every vendor: logged out or unregistered members.', stateColor.offline), 4, 4);

  return dashboard({
    uid: 'callcenter-wallboard',
    title: 'Call center / Floor wallboard',
    description: 'Per-queue tiles for a wall display. Refreshes every 15 s, the exporter\'s default poll interval. Kiosk: add ?kiosk to the URL; pick queues with var-queue.',
    tags: ['wallboard'],
    refresh: '15s',
    time: { from: 'now-15m', to: 'now' },
    graphTooltip: 0,
    panels: L.panels,
    variables: [datasourceVariable(), targetVariable(), queueVariable()],
  });
}

// ---------------------------------------------------------------------------------------------
// 2. Queue detail
// ---------------------------------------------------------------------------------------------
function queueDetail() {
  const L = new Layout();
  const legendQ = (what) => `{{target}} {{queue}}${what ? ' ' + what : ''}`;

  L.row('Calls');
  L.add(timeseries({
    title: 'Calls offered, answered, abandoned',
    description: `Calls per minute, 5-minute rates (recording rules target_queue:callcenter_calls_{offered,answered,abandoned}:rate5m). ${V.rates}`,
    targets: [
      query('60 * max by (target, queue) (target_queue:callcenter_calls_offered:rate5m{' + TQ + '})', { legend: legendQ('offered') }),
      query('60 * max by (target, queue) (target_queue:callcenter_calls_answered:rate5m{' + TQ + '})', { legend: legendQ('answered') }),
      query('60 * max by (target, queue) (target_queue:callcenter_calls_abandoned:rate5m{' + TQ + '})', { legend: legendQ('abandoned') }),
    ],
    unit: 'suffix: calls/min', decimals: 1, min: 0, noValue: NO.yunhu,
    overrides: [
      byRefId('B', [fixedColor('green')]),
      byRefId('C', [fixedColor('red')]),
    ],
  }), 12, 8);
  L.add(timeseries({
    title: 'Service level',
    description: `Recording rule target_queue:callcenter_service_level:ratio. ${V.sl} The dashed line is an 80 % goal: change it in the panel's thresholds.`,
    targets: [query('max by (target, queue) (target_queue:callcenter_service_level:ratio{' + TQ + '})', { legend: legendQ() })],
    unit: 'percentunit', min: 0, max: 1, noValue: NO.calls,
    thresholdsStyle: 'dashed',
    thresholds: steps(['transparent', null], ['green', 0.8]),
  }), 9, 8);
  L.add(stat({
    title: 'SL threshold',
    description: `The wait within which a call counts as answered in time. ${V.slThreshold}`,
    targets: [query(
      `max by (target, queue) (callcenter_queue_service_level_threshold_seconds{${TQ}})
       or
       (20 + 0 * max by (target, queue) (callcenter_queue_window_calls_answered_within_20s{${TQ}}))`,
      { instant: true, legend: legendQ() },
    )],
    unit: 's', decimals: 0, noValue: NO.yunhu,
    colorMode: 'none', color: { mode: 'fixed', fixedColor: 'text' },
  }), 3, 8);

  L.add(timeseries({
    title: 'Abandoned per offered',
    description: `Recording rule target_queue:callcenter_calls_abandoned_per_offered:ratio_rate5m. ${V.abandon}`,
    targets: [query('max by (target, queue) (target_queue:callcenter_calls_abandoned_per_offered:ratio_rate5m{' + TQ + '})', { legend: legendQ() })],
    unit: 'percentunit', min: 0, noValue: NO.calls,
    thresholdsStyle: 'dashed',
    thresholds: steps(['transparent', null], ['red', 0.1]),
  }), 8, 8);
  L.add(timeseries({
    title: 'Calls waiting',
    description: `Calls waiting in the queue (callcenter_queue_calls_waiting). ${V.waiting}`,
    targets: [query(`max by (target, queue) (callcenter_queue_calls_waiting{${TQ}})`, { legend: legendQ() })],
    unit: 'short', decimals: 0, min: 0, noValue: NO.yunhu,
    lineInterpolation: 'stepAfter',
  }), 8, 8);
  L.add(timeseries({
    title: 'Waits: longest and average',
    description: `Longest: the oldest call now waiting (callcenter_queue_longest_wait_seconds); ${V.longest} Average (ASA): the vendor's own average (recording rule target_queue:callcenter_queue_average_wait_seconds); ${V.asa}`,
    targets: [
      query(`max by (target, queue) (callcenter_queue_longest_wait_seconds{${TQ}})`, { legend: legendQ('longest') }),
      query('max by (target, queue) (target_queue:callcenter_queue_average_wait_seconds{' + TQ + '})', { legend: legendQ('average') }),
    ],
    unit: 's', min: 0, noValue: NO.yunhu,
  }), 8, 8);

  L.row('Agents');
  L.add(timeseries({
    title: 'Agents by state',
    description: `Queue members by normalised state, stacked (callcenter_queue_agents). With several queues selected an agent counts once per queue. ${V.queueAgents}`,
    targets: [query(`sum by (state) (max by (target, queue, state) (callcenter_queue_agents{${TQ}}))`, { legend: '{{state}}' })],
    unit: 'short', decimals: 0, min: 0, noValue: 'No data',
    stacked: true, lineInterpolation: 'stepAfter',
    overrides: stateOverrides(),
  }), 12, 8);
  L.add(timeseries({
    title: 'Occupancy',
    description: 'Agents handling calls (ringing, on call, on hold, wrap-up) / agents staffed (those plus available), from the queue\'s members (recording rule target_queue:callcenter_occupancy:ratio). Every vendor. Absent while no member is staffed.',
    targets: [query('max by (target, queue) (target_queue:callcenter_occupancy:ratio{' + TQ + '})', { legend: legendQ() })],
    unit: 'percentunit', min: 0, max: 1, noValue: 'No staffed agents',
  }), 6, 8);
  L.add(timeseries({
    title: 'Logged in and available (vendor count)',
    description: 'The vendor\'s own counts (callcenter_queue_agents_logged_in, callcenter_queue_agents_available): Huawei CEC (loggedOnAgents, availAgents) and uContact (loggedIn, available). MixCall and yunhu do not supply them: see Agents by state.',
    targets: [
      query(`max by (target, queue) (callcenter_queue_agents_logged_in{${TQ}})`, { legend: legendQ('logged in') }),
      query(`max by (target, queue) (callcenter_queue_agents_available{${TQ}})`, { legend: legendQ('available') }),
    ],
    unit: 'short', decimals: 0, min: 0, noValue: 'Not supplied (MixCall, yunhu)',
    lineInterpolation: 'stepAfter',
  }), 6, 8);

  L.row('Huawei CEC only: current 5-minute window');
  const huawei = 'Huawei CEC only (skill/currentcallstateinfo): the other vendors have no such window, so the panel stays empty for them.';
  L.add(timeseries({
    title: 'Window: calls so far',
    description: `Counts of the current 5-minute window, which restarts every five minutes (callcenter_queue_window_calls_*: allCallCount, cnnedCallCount, abanCallCount, callEndCount, clearUpCallCount). ${huawei}`,
    targets: [
      query(`max by (target, queue) (callcenter_queue_window_calls_offered{${TQ}})`, { legend: legendQ('offered') }),
      query(`max by (target, queue) (callcenter_queue_window_calls_answered{${TQ}})`, { legend: legendQ('answered') }),
      query(`max by (target, queue) (callcenter_queue_window_calls_abandoned{${TQ}})`, { legend: legendQ('abandoned') }),
      query(`max by (target, queue) (callcenter_queue_window_calls_ended{${TQ}})`, { legend: legendQ('ended') }),
      query(`max by (target, queue) (callcenter_queue_window_calls_wrapped_up{${TQ}})`, { legend: legendQ('wrapped up') }),
    ],
    unit: 'short', decimals: 0, min: 0, noValue: NO.huawei,
    lineInterpolation: 'stepAfter',
  }), 8, 8);
  L.add(timeseries({
    title: 'Window: answered within 20 s',
    description: `Calls answered within 20 s / calls offered in the current window (cnnedIn20sCallCount / allCallCount). Absent while no call is offered. ${huawei}`,
    targets: [query(
      `max by (target, queue) (callcenter_queue_window_calls_answered_within_20s{${TQ}})
       / on (target, queue)
       (max by (target, queue) (callcenter_queue_window_calls_offered{${TQ}}) > 0)`,
      { legend: legendQ() },
    )],
    unit: 'percentunit', min: 0, max: 1, noValue: NO.huawei,
  }), 6, 8);
  L.add(timeseries({
    title: 'Window: wrap-up and IVR time',
    description: `Wrap-up time (clearUpTime) and IVR talk time (talkTimeOnIvr) of the current window. ${huawei}`,
    targets: [
      query(`max by (target, queue) (callcenter_queue_window_wrap_up_seconds{${TQ}})`, { legend: legendQ('wrap-up') }),
      query(`max by (target, queue) (callcenter_queue_window_ivr_talk_seconds{${TQ}})`, { legend: legendQ('IVR talk') }),
    ],
    unit: 's', min: 0, noValue: NO.huawei,
  }), 6, 8);
  L.add(stat({
    title: 'Window age',
    description: `Time since the current window started (callcenter_queue_window_start_timestamp_seconds, startTime). ${huawei}`,
    targets: [query(`time() - max by (target, queue) (callcenter_queue_window_start_timestamp_seconds{${TQ}})`, { instant: true, legend: legendQ() })],
    unit: 's', decimals: 0, noValue: NO.huawei,
    colorMode: 'none', color: { mode: 'fixed', fixedColor: 'text' },
  }), 4, 8);

  L.row('Huawei CEC only: agent breaks');
  const breaks = 'Huawei CEC only (agentgroup/agentrestinfo, one figure per VDN, not per queue): the other vendors have no break approval, so the panel stays empty for them.';
  L.add(timeseries({
    title: 'Break slots',
    description: `Agents allowed a break, on a break and waiting for one (callcenter_break_agents{phase}: allowrestnum, onrestnum, waitrestnum). ${breaks}`,
    targets: [query(`max by (target, phase) (callcenter_break_agents{${TG}})`, { legend: '{{target}} {{phase}}' })],
    unit: 'short', decimals: 0, min: 0, noValue: NO.huawei,
    lineInterpolation: 'stepAfter',
  }), 8, 9);
  L.add(table({
    title: 'Agents with a break (members of the selected queues)',
    description: `Break started (callcenter_agent_break_start_timestamp_seconds, begintime), requested length (callcenter_agent_break_requested_seconds, restduration) and why the break cannot start yet (callcenter_agent_break_blocked{reason}, cantrestreason). ${breaks}`,
    targets: [
      query(`max by (target, agent) (callcenter_agent_break_start_timestamp_seconds{${TG}}) ${IN_QUEUES}`, { instant: true, format: 'table' }),
      query(`(time() - max by (target, agent) (callcenter_agent_break_start_timestamp_seconds{${TG}})) ${IN_QUEUES}`, { instant: true, format: 'table' }),
      query(`max by (target, agent) (callcenter_agent_break_requested_seconds{${TG}}) ${IN_QUEUES}`, { instant: true, format: 'table' }),
      query(`max by (target, agent, reason) (callcenter_agent_break_blocked{${TG}} == 1) ${IN_QUEUES}`, { instant: true, format: 'table' }),
      query(`max by (target, agent, name) (callcenter_agent_info{${TG}}) and on (target, agent) (callcenter_agent_break_start_timestamp_seconds{${TG}} or callcenter_agent_break_requested_seconds{${TG}} or callcenter_agent_break_blocked{${TG}})`, { instant: true, format: 'table' }),
    ],
    unit: 's', noValue: NO.huawei,
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, 'Value #D': true, 'Value #E': true },
          indexByName: { target: 0, agent: 1, name: 2, 'Value #A': 3, 'Value #B': 4, 'Value #C': 5, reason: 6 },
          renameByName: {
            target: 'Target', agent: 'Agent', name: 'Name', 'Value #A': 'Break started',
            'Value #B': 'Since', 'Value #C': 'Requested', reason: 'Waiting because',
          },
        },
      },
    ],
    overrides: [
      byName('Break started', [prop('unit', 'dateTimeAsLocal')]),
      byName('Target', [prop('unit', 'string')]),
      byName('Agent', [prop('unit', 'string')]),
      byName('Name', [prop('unit', 'string')]),
      byName('Waiting because', [prop('unit', 'string')]),
    ],
    sortBy: [{ displayName: 'Since', desc: true }],
  }), 16, 9);

  return dashboard({
    uid: 'callcenter-queue',
    title: 'Call center / Queue detail',
    description: 'One queue (or several) over time: traffic, service level, abandon rate, waits and agents; Huawei CEC window and break rows. KPIs come from the callcenter recording rules.',
    tags: ['queue'],
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    panels: L.panels,
    variables: [datasourceVariable(), targetVariable(), queueVariable({ multi: false })],
  });
}

// ---------------------------------------------------------------------------------------------
// 3. Agent board
// ---------------------------------------------------------------------------------------------
function agents() {
  const L = new Layout();
  const t = (expr) => query(expr, { instant: true, format: 'table' });
  const str = (name) => byName(name, [prop('unit', 'string')]);
  const ago = 'Shown as time since.';

  L.row('Agents');
  L.add(stat({
    title: 'Agents by state',
    description: `Distinct agents of the selected queues by normalised state (callcenter_agent_state). ${V.queueAgents} Absent for a target with agent_metrics: false.`,
    targets: [query(`count by (state) ((callcenter_agent_state{${TG}} == 1) ${IN_QUEUES})`, { instant: true, legend: '{{state}}' })],
    unit: 'short', decimals: 0, noValue: 'No agent series (agent_metrics: false?)',
    textMode: 'value_and_name',
    overrides: stateOverrides(),
  }), 24, 4);

  L.add(table({
    title: 'Agents',
    description: 'One row per agent of the selected queues. Columns a vendor does not supply show "–": '
      + 'name (Huawei CEC, yunhu, uContact); in state for (Huawei CEC, yunhu); logged in for (Huawei CEC); '
      + 'answered and since last call (yunhu, uContact); missed (yunhu); busy reason, the DND index (MixCall); '
      + 'break columns (Huawei CEC). Answered and missed count calls in the dashboard\'s time range.',
    targets: [
      t(`max by (target, agent, state) (callcenter_agent_state{${TG}} == 1) ${IN_QUEUES}`),
      t(`max by (target, agent, name) (callcenter_agent_info{${TG}}) ${IN_QUEUES}`),
      t(`(time() - max by (target, agent) (callcenter_agent_state_since_timestamp_seconds{${TG}})) ${IN_QUEUES}`),
      t(`count by (target, agent) (callcenter_queue_member_info{${TQ}})`),
      t(`sum by (target, agent) (increase(callcenter_queue_member_calls_answered_total{${TQ}}[$__range]))`),
      t(`sum by (target, agent) (increase(callcenter_queue_member_calls_missed_total{${TQ}}[$__range]))`),
      t(`time() - max by (target, agent) (callcenter_queue_member_last_call_timestamp_seconds{${TQ}})`),
      t(`max by (target, agent) (callcenter_agent_busy_reason_code{${TG}}) ${IN_QUEUES}`),
      t(`max by (target, agent, reason) (callcenter_agent_break_blocked{${TG}} == 1) ${IN_QUEUES}`),
      t(`(time() - max by (target, agent) (callcenter_agent_break_start_timestamp_seconds{${TG}})) ${IN_QUEUES}`),
      t(`(time() - max by (target, agent) (callcenter_agent_login_timestamp_seconds{${TG}})) ${IN_QUEUES}`),
      t(`max by (target, agent) (callcenter_agent_status_code{${TG}}) ${IN_QUEUES}`),
    ],
    unit: 'none', noValue: 'No agents in the selected queues',
    filterable: true,
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, 'Value #A': true, 'Value #B': true, 'Value #I': true },
          indexByName: {
            target: 0, agent: 1, name: 2, state: 3, 'Value #C': 4, 'Value #D': 5, 'Value #E': 6,
            'Value #F': 7, 'Value #G': 8, 'Value #H': 9, reason: 10, 'Value #J': 11,
            'Value #K': 12, 'Value #L': 13,
          },
          renameByName: {
            target: 'Target', agent: 'Agent', name: 'Name', state: 'State',
            'Value #C': 'In state for', 'Value #D': 'Queues', 'Value #E': 'Answered',
            'Value #F': 'Missed', 'Value #G': 'Since last call', 'Value #H': 'Busy reason',
            reason: 'Break waiting because', 'Value #J': 'On break for',
            'Value #K': 'Logged in for', 'Value #L': 'Status code',
          },
        },
      },
    ],
    overrides: [
      str('Target'), str('Agent'),
      byName('Name', [prop('unit', 'string'), prop('description', 'callcenter_agent_info{name}: Huawei CEC, yunhu, uContact.'), prop('noValue', '–')]),
      byName('State', [
        prop('unit', 'string'),
        prop('mappings', stateValueMappings()),
        prop('custom.cellOptions', { type: 'color-background', mode: 'basic' }),
        prop('description', 'Normalised state (callcenter_agent_state): every vendor.'),
      ]),
      byName('In state for', [prop('unit', 's'), prop('decimals', 0), prop('noValue', '–'), prop('description', `now - callcenter_agent_state_since_timestamp_seconds: Huawei CEC, yunhu. ${ago}`)]),
      byName('Queues', [prop('unit', 'short'), prop('decimals', 0), prop('description', 'Selected queues the agent is a member of (callcenter_queue_member_info): every vendor.')]),
      byName('Answered', [prop('unit', 'short'), prop('decimals', 0), prop('noValue', '–'), prop('description', 'Calls answered in the time range, over the selected queues (callcenter_queue_member_calls_answered_total): yunhu, uContact.')]),
      byName('Missed', [prop('unit', 'short'), prop('decimals', 0), prop('noValue', '–'), prop('description', 'Calls offered but not answered in the time range (callcenter_queue_member_calls_missed_total): yunhu only.')]),
      byName('Since last call', [prop('unit', 's'), prop('decimals', 0), prop('noValue', '–'), prop('description', `callcenter_queue_member_last_call_timestamp_seconds, latest over the selected queues: yunhu, uContact. ${ago}`)]),
      byName('Busy reason', [prop('unit', 'none'), prop('noValue', '–'), prop('description', 'The DND busy-reason index while busy (callcenter_agent_busy_reason_code): MixCall only.')]),
      byName('Break waiting because', [prop('unit', 'string'), prop('noValue', '–'), prop('description', 'Why a requested break cannot start (callcenter_agent_break_blocked{reason}): Huawei CEC only.')]),
      byName('On break for', [prop('unit', 's'), prop('decimals', 0), prop('noValue', '–'), prop('description', `now - callcenter_agent_break_start_timestamp_seconds: Huawei CEC only. ${ago}`)]),
      byName('Logged in for', [prop('unit', 's'), prop('decimals', 0), prop('noValue', '–'), prop('description', `now - callcenter_agent_login_timestamp_seconds: Huawei CEC only. ${ago}`)]),
      byName('Status code', [prop('unit', 'none'), prop('noValue', '–'), prop('description', 'The vendor\'s raw status code (callcenter_agent_status_code): every vendor; see docs/metrics.md for its states.')]),
    ],
    sortBy: [{ displayName: 'State', desc: false }],
  }), 24, 14);

  L.row('Queue memberships');
  L.add(table({
    title: 'Queue members',
    description: 'One row per agent and queue (callcenter_queue_member_info: every vendor). Columns a vendor does not supply show "–": '
      + 'answered and since last call (yunhu, uContact); missed, since last offer and wrap-up (yunhu); paused, in call and penalty (uContact). '
      + 'State needs agent_metrics (every vendor). Answered and missed count calls in the dashboard\'s time range.',
    targets: [
      t(`max by (target, queue, agent) (callcenter_queue_member_info{${TQ}})`),
      t(`max by (target, queue, agent, state) (callcenter_queue_member_info{${TQ}} * on (target, agent) group_left (state) max by (target, agent, state) (callcenter_agent_state{${TG}} == 1))`),
      t(`sum by (target, queue, agent) (increase(callcenter_queue_member_calls_answered_total{${TQ}}[$__range]))`),
      t(`sum by (target, queue, agent) (increase(callcenter_queue_member_calls_missed_total{${TQ}}[$__range]))`),
      t(`time() - max by (target, queue, agent) (callcenter_queue_member_last_call_timestamp_seconds{${TQ}})`),
      t(`time() - max by (target, queue, agent) (callcenter_queue_member_last_offer_timestamp_seconds{${TQ}})`),
      t(`max by (target, queue, agent) (callcenter_queue_member_paused{${TQ}})`),
      t(`max by (target, queue, agent) (callcenter_queue_member_in_call{${TQ}})`),
      t(`max by (target, queue, agent) (callcenter_queue_member_penalty{${TQ}})`),
      t(`max by (target, queue, agent) (callcenter_queue_member_wrap_up_seconds{${TQ}})`),
    ],
    unit: 'none', noValue: 'No members in the selected queues',
    filterable: true,
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, 'Value #A': true, 'Value #B': true },
          indexByName: {
            target: 0, queue: 1, agent: 2, state: 3, 'Value #C': 4, 'Value #D': 5, 'Value #E': 6,
            'Value #F': 7, 'Value #G': 8, 'Value #H': 9, 'Value #I': 10, 'Value #J': 11,
          },
          renameByName: {
            target: 'Target', queue: 'Queue', agent: 'Agent', state: 'State',
            'Value #C': 'Answered', 'Value #D': 'Missed', 'Value #E': 'Since last call',
            'Value #F': 'Since last offer', 'Value #G': 'Paused', 'Value #H': 'In call',
            'Value #I': 'Penalty', 'Value #J': 'Wrap-up',
          },
        },
      },
    ],
    overrides: [
      str('Target'), str('Queue'), str('Agent'),
      byName('State', [prop('unit', 'string'), prop('mappings', stateValueMappings()), prop('custom.cellOptions', { type: 'color-text' }), prop('noValue', '–')]),
      byName('Answered', [prop('unit', 'short'), prop('decimals', 0), prop('noValue', '–'), prop('description', 'callcenter_queue_member_calls_answered_total, in the time range: yunhu, uContact.')]),
      byName('Missed', [prop('unit', 'short'), prop('decimals', 0), prop('noValue', '–'), prop('description', 'callcenter_queue_member_calls_missed_total, in the time range: yunhu only.')]),
      byName('Since last call', [prop('unit', 's'), prop('decimals', 0), prop('noValue', '–'), prop('description', `callcenter_queue_member_last_call_timestamp_seconds: yunhu, uContact. ${ago}`)]),
      byName('Since last offer', [prop('unit', 's'), prop('decimals', 0), prop('noValue', '–'), prop('description', `callcenter_queue_member_last_offer_timestamp_seconds: yunhu only. ${ago}`)]),
      byName('Paused', [prop('unit', 'none'), prop('noValue', '–'), prop('mappings', [{ type: 'value', options: { 0: { text: 'no', index: 0 }, 1: { text: 'paused', color: 'orange', index: 1 } } }]), prop('description', 'callcenter_queue_member_paused: uContact only.')]),
      byName('In call', [prop('unit', 'none'), prop('noValue', '–'), prop('mappings', [{ type: 'value', options: { 0: { text: 'no', index: 0 }, 1: { text: 'in call', color: 'blue', index: 1 } } }]), prop('description', 'callcenter_queue_member_in_call: uContact only.')]),
      byName('Penalty', [prop('unit', 'none'), prop('noValue', '–'), prop('description', 'callcenter_queue_member_penalty: uContact only.')]),
      byName('Wrap-up', [prop('unit', 's'), prop('noValue', '–'), prop('description', 'callcenter_queue_member_wrap_up_seconds (wrapuptime): yunhu only.')]),
    ],
    sortBy: [{ displayName: 'Queue', desc: false }],
  }), 24, 12);

  return dashboard({
    uid: 'callcenter-agents',
    title: 'Call center / Agents',
    description: 'Agents of the selected queues: state, time in state, memberships, calls answered and missed, busy and break reasons.',
    tags: ['agents'],
    refresh: '15s',
    time: { from: 'now-1h', to: 'now' },
    panels: L.panels,
    variables: [datasourceVariable(), targetVariable(), queueVariable()],
  });
}

// ---------------------------------------------------------------------------------------------
// 4. Exporter health
// ---------------------------------------------------------------------------------------------
function exporter() {
  const L = new Layout();
  const upMappings = [{ type: 'value', options: { 0: { text: 'DOWN', color: 'red', index: 0 }, 1: { text: 'UP', color: 'green', index: 1 } } }];
  const every = 'Every vendor.';

  L.row('Exporter');
  L.add(stat({
    title: 'Build',
    description: 'callcenter_exporter_build_info{version, revision} of each scraped exporter. Not per target.',
    targets: [query('max by (job, instance, version, revision) (callcenter_exporter_build_info)', { instant: true, legend: '{{version}} ({{revision}})' })],
    unit: 'none', noValue: 'Exporter not scraped',
    textMode: 'name', colorMode: 'none', color: { mode: 'fixed', fixedColor: 'text' },
  }), 6, 4);
  L.add(stat({
    title: 'Last config reload',
    description: 'callcenter_config_last_reload_successful of each scraped exporter: OK or FAILED (then the exporter keeps running with its previous configuration). Not per target.',
    targets: [query('min by (job, instance) (callcenter_config_last_reload_successful)', { instant: true, legend: '{{instance}}' })],
    unit: 'none', noValue: 'Exporter not scraped',
    mappings: [{ type: 'value', options: { 0: { text: 'FAILED', color: 'red', index: 0 }, 1: { text: 'OK', color: 'green', index: 1 } } }],
  }), 4, 4);
  L.add(stat({
    title: 'Config loaded',
    description: 'Time since the last successful configuration load (callcenter_config_last_reload_success_timestamp_seconds). Not per target.',
    targets: [query('time() - max by (job, instance) (callcenter_config_last_reload_success_timestamp_seconds)', { instant: true, legend: '{{instance}}' })],
    unit: 's', decimals: 0, noValue: 'Exporter not scraped',
    colorMode: 'none', color: { mode: 'fixed', fixedColor: 'text' },
  }), 4, 4);
  L.add(stat({
    title: 'Targets',
    description: `Configured targets (callcenter_target_info) among the selected ones. ${every}`,
    targets: [query(`count(max by (target) (callcenter_target_info{${TG}}))`, { instant: true })],
    unit: 'short', decimals: 0, noValue: '0',
    colorMode: 'none', color: { mode: 'fixed', fixedColor: 'text' },
  }), 3, 4);
  L.add(stat({
    title: 'Collectors down',
    description: `Collectors whose last poll failed (callcenter_up == 0). ${every}`,
    targets: [query(`count(max by (target, collector) (callcenter_up{${TG}}) == 0) or vector(0)`, { instant: true })],
    unit: 'short', decimals: 0, noValue: '0',
    thresholds: steps(['green', null], ['red', 1]),
  }), 3, 4);
  L.add(stat({
    title: 'Oldest data',
    description: `The largest age of the data served (now - callcenter_last_success_timestamp_seconds), over the selected collectors. Past stale_after (default 3 poll intervals) a target's data series are dropped. ${every}`,
    targets: [query(`max(time() - callcenter_last_success_timestamp_seconds{${TG}})`, { instant: true })],
    unit: 's', decimals: 0, noValue: 'No successful poll yet',
    thresholds: steps(['green', null], ['orange', 30], ['red', 45]),
  }), 4, 4);

  L.row('Targets and collectors');
  L.add(stateTimeline({
    title: 'Collector up',
    description: `callcenter_up per target and collector: 1 if the collector's last poll succeeded. ${every} Collectors: mixcall queueinfo; huawei_cec skill_agents, skill_status, skill_call_stats, vdn_rest, skill_discovery (the listing of the VDN's skill queues, when skills are discovered); yunhu queue_sip_status; ucontact queue_summary, campaign_status.`,
    targets: [query(`max by (target, collector) (callcenter_up{${TG}})`, { legend: '{{target}} / {{collector}}' })],
    unit: 'none', noValue: 'No targets',
    mappings: upMappings,
    thresholds: steps(['red', null], ['green', 1]),
  }), 24, 8);
  L.add(table({
    title: 'Targets',
    description: `One row per target: vendor (callcenter_target_info), collectors up of all, oldest data, slowest last poll and failed polls per minute. ${every}`,
    targets: [
      query(`max by (target, vendor) (callcenter_target_info{${TG}})`, { instant: true, format: 'table' }),
      query(`sum by (target) (max by (target, collector) (callcenter_up{${TG}}))`, { instant: true, format: 'table' }),
      query(`count by (target) (max by (target, collector) (callcenter_up{${TG}}))`, { instant: true, format: 'table' }),
      query(`max by (target) (time() - callcenter_last_success_timestamp_seconds{${TG}})`, { instant: true, format: 'table' }),
      query(`max by (target) (callcenter_poll_duration_seconds{${TG}})`, { instant: true, format: 'table' }),
      query(`60 * sum by (target) (rate(callcenter_poll_failures_total{${TG}}[$__rate_interval]))`, { instant: true, format: 'table' }),
    ],
    unit: 'none', noValue: 'No targets',
    transformations: [
      { id: 'merge', options: {} },
      {
        id: 'organize',
        options: {
          excludeByName: { Time: true, 'Value #A': true },
          indexByName: { target: 0, vendor: 1, 'Value #B': 2, 'Value #C': 3, 'Value #D': 4, 'Value #E': 5, 'Value #F': 6 },
          renameByName: {
            target: 'Target', vendor: 'Vendor', 'Value #B': 'Collectors up', 'Value #C': 'Collectors',
            'Value #D': 'Data age', 'Value #E': 'Last poll took', 'Value #F': 'Failed polls/min',
          },
        },
      },
    ],
    overrides: [
      byName('Target', [prop('unit', 'string')]),
      byName('Vendor', [prop('unit', 'string')]),
      byName('Collectors up', [prop('unit', 'short'), prop('decimals', 0)]),
      byName('Collectors', [prop('unit', 'short'), prop('decimals', 0)]),
      byName('Data age', [prop('unit', 's'), prop('decimals', 0), prop('noValue', 'never polled'), prop('thresholds', steps(['green', null], ['orange', 30], ['red', 45])), prop('custom.cellOptions', { type: 'color-text' })]),
      byName('Last poll took', [prop('unit', 's')]),
      byName('Failed polls/min', [prop('unit', 'short'), prop('decimals', 2), prop('thresholds', steps(['green', null], ['red', 0.01])), prop('custom.cellOptions', { type: 'color-text' })]),
    ],
    sortBy: [{ displayName: 'Target', desc: false }],
  }), 24, 7);

  L.row('Polls');
  L.add(timeseries({
    title: 'Data age',
    description: `now - callcenter_last_success_timestamp_seconds per target and collector: how old the served data is. It grows by one poll interval between polls; past stale_after (default 3 poll intervals, the dashed line assumes the default 15 s interval) the target's data series are dropped. ${every}`,
    targets: [query(`max by (target, collector) (time() - callcenter_last_success_timestamp_seconds{${TG}})`, { legend: '{{target}} / {{collector}}' })],
    unit: 's', min: 0, noValue: 'No successful poll yet',
    thresholdsStyle: 'dashed',
    thresholds: steps(['transparent', null], ['red', 45]),
  }), 12, 8);
  L.add(timeseries({
    title: 'Poll duration',
    description: `Wall time of the last poll per target and collector (callcenter_poll_duration_seconds). ${every}`,
    targets: [query(`max by (target, collector) (callcenter_poll_duration_seconds{${TG}})`, { legend: '{{target}} / {{collector}}' })],
    unit: 's', min: 0, noValue: 'No polls yet',
  }), 12, 8);
  L.add(timeseries({
    title: 'Poll failures by reason',
    description: `Failed polls per minute by target, collector and reason (rate of callcenter_poll_failures_total). Reasons: connect, tls, timeout, http_status, auth, too_large, parse, vendor_error, sample_limit. ${every}`,
    targets: [query(`60 * sum by (target, collector, reason) (rate(callcenter_poll_failures_total{${TG}}[$__rate_interval])) > 0`, { legend: '{{target}} / {{collector}}: {{reason}}' })],
    unit: 'suffix: polls/min', decimals: 2, min: 0, noValue: 'No failed polls',
    drawStyle: 'bars', fillOpacity: 80, stacked: true,
  }), 12, 8);
  L.add(timeseries({
    title: 'Polls',
    description: `Polls started per minute by target and collector (rate of callcenter_polls_total). ${every}`,
    targets: [query(`60 * sum by (target, collector) (rate(callcenter_polls_total{${TG}}[$__rate_interval]))`, { legend: '{{target}} / {{collector}}' })],
    unit: 'suffix: polls/min', decimals: 1, min: 0, noValue: 'No polls yet',
  }), 12, 8);

  return dashboard({
    uid: 'callcenter-exporter',
    title: 'Call center / Exporter health',
    description: 'Is the exporter polling every target? Collector up, data age, poll duration and failures by reason, configuration reloads and build.',
    tags: ['exporter'],
    refresh: '30s',
    time: { from: 'now-6h', to: 'now' },
    panels: L.panels,
    variables: [datasourceVariable(), targetVariable()],
  });
}

export const DASHBOARDS = {
  'callcenter-wallboard.json': wallboard,
  'callcenter-queue.json': queueDetail,
  'callcenter-agents.json': agents,
  'callcenter-exporter.json': exporter,
};

export function render() {
  return Object.fromEntries(
    Object.entries(DASHBOARDS).map(([file, make]) => [file, JSON.stringify(make(), null, 2) + '\n']),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [file, text] of Object.entries(render())) {
    const path = join(OUT, file);
    if (check) {
      let current = null;
      try { current = readFileSync(path, 'utf8'); } catch { /* missing */ }
      if (current !== text) {
        console.error(`dashboards/${file} differs from dashboards/src/build.mjs: run node dashboards/src/build.mjs`);
        stale++;
      }
    } else {
      writeFileSync(path, text);
      console.log(`wrote dashboards/${file}`);
    }
  }
  process.exit(stale ? 1 : 0);
}
