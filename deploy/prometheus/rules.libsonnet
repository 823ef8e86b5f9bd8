// Recording rules: the contact-center KPIs of docs/kpis.md, per queue and per target.
//
// Naming is level:metric:operations. Levels: target_queue (labels target, queue), target
// (label target), target_state (labels target, state). Every rule also keeps job and instance:
// aggregations use `without (...)`, never `by (...)`, so two jobs scraping the same target are
// never added together. The rules do not name vendors: each KPI takes whichever input series a
// target has (docs/kpis.md lists which vendor supplies what).
//
// Ratios are computed from summed numerators and denominators, never averaged; a vendor's own
// ratio is weighted by the calls it covers. A denominator of 0 gives no sample (not NaN), so a
// quiet queue has no ratio rather than a misleading one.
local utils = import 'utils.libsonnet';

{
  prometheusRules+:: {
    local c = $._config,
    local S = c.callcenterSelector,
    local windows = utils.windows(c),
    local keep = 'job, instance, target, queue',

    // Calls offered per second over window w:
    // uContact totalcalls; Huawei's five-minute window allCallCount (a gauge that restarts every
    // five minutes: rate() treats the restart as a counter reset); otherwise (MixCall) answered +
    // abandoned, the calls that have left the queue.
    local offered(w) = |||
      rate(callcenter_queue_calls_offered_total{%(S)s}[%(w)s])
      or
      rate(callcenter_queue_window_calls_offered{%(S)s}[%(w)s])
      or
      (
        rate(callcenter_queue_calls_answered_total{%(S)s}[%(w)s])
        + on (%(keep)s)
        rate(callcenter_queue_calls_abandoned_total{%(S)s}[%(w)s])
      )
    ||| % { S: S, w: w, keep: keep },

    // Calls answered within the service-level threshold per second over window w:
    // Huawei cnnedIn20sCallCount (20 s); MixCall and uContact do not count them, so the vendor's
    // ratio (answered within threshold / answered, since its statistics were reset) is applied
    // to the calls answered in the window: an estimate, see docs/kpis.md.
    local withinThreshold(w) = |||
      rate(callcenter_queue_window_calls_answered_within_20s{%(S)s}[%(w)s])
      or
      (
        callcenter_queue_service_level_ratio{%(S)s}
        * on (%(keep)s)
        rate(callcenter_queue_calls_answered_total{%(S)s}[%(w)s])
      )
    ||| % { S: S, w: w, keep: keep },

    local busyStates = 'ringing|on_call|on_hold|wrap_up',
    local staffedStates = 'available|' + busyStates,

    groups+: [
      {
        name: 'callcenter-queue.rules',
        rules: [
          {
            record: 'target_queue:callcenter_calls_offered:rate' + w,
            expr: offered(w),
          }
          for w in windows
        ] + [
          {
            record: 'target_queue:callcenter_calls_answered:rate5m',
            expr: |||
              rate(callcenter_queue_calls_answered_total{%(S)s}[5m])
              or
              rate(callcenter_queue_window_calls_answered{%(S)s}[5m])
            ||| % { S: S },
          },
        ] + [
          {
            record: 'target_queue:callcenter_calls_abandoned:rate' + w,
            expr: |||
              rate(callcenter_queue_calls_abandoned_total{%(S)s}[%(w)s])
              or
              rate(callcenter_queue_window_calls_abandoned{%(S)s}[%(w)s])
            ||| % { S: S, w: w },
          }
          for w in ['5m', '30m']
        ] + [
          {
            record: 'target_queue:callcenter_calls_abandoned_per_offered:ratio_rate' + w,
            expr: |||
              target_queue:callcenter_calls_abandoned:rate%(w)s
              / on (%(keep)s)
              (target_queue:callcenter_calls_offered:rate%(w)s > 0)
            ||| % { w: w, keep: keep },
          }
          for w in ['5m', '30m']
        ] + [
          {
            record: 'target_queue:callcenter_calls_answered_within_threshold:rate' + w,
            expr: withinThreshold(w),
          }
          for w in windows
        ] + [
          // The service-level error ratio: calls not answered within the threshold / calls
          // offered. Input of the burn-rate alerts.
          {
            record: 'target_queue:callcenter_calls_not_answered_in_time_per_offered:ratio_rate' + w,
            expr: |||
              clamp_min(
                1 - (
                  target_queue:callcenter_calls_answered_within_threshold:rate%(w)s
                  / on (%(keep)s)
                  (target_queue:callcenter_calls_offered:rate%(w)s > 0)
                ),
                0
              )
            ||| % { w: w, keep: keep },
          }
          for w in windows
        ] + [
          {
            // The best service level each vendor allows: MixCall servicelevelperf and uContact
            // servicelevel (answered within threshold / answered, since the vendor's statistics
            // reset); Huawei answered within 20 s / offered over the last 5 minutes.
            record: 'target_queue:callcenter_service_level:ratio',
            expr: |||
              callcenter_queue_service_level_ratio{%(S)s}
              or
              (
                rate(callcenter_queue_window_calls_answered_within_20s{%(S)s}[5m])
                / on (%(keep)s)
                (rate(callcenter_queue_window_calls_offered{%(S)s}[5m]) > 0)
              )
            ||| % { S: S, keep: keep },
          },
          {
            // Agents handling calls (ringing, talking, holding, wrap-up) / agents staffed
            // (those plus available), counted from the queue's members.
            record: 'target_queue:callcenter_occupancy:ratio',
            expr: |||
              sum without (state) (callcenter_queue_agents{%(S)s, state=~"%(busy)s"})
              / on (%(keep)s)
              (sum without (state) (callcenter_queue_agents{%(S)s, state=~"%(staffed)s"}) > 0)
            ||| % { S: S, busy: busyStates, staffed: staffedStates, keep: keep },
          },
          {
            // ASA: the vendor's own average (MixCall holdtime, uContact holdTime).
            record: 'target_queue:callcenter_queue_average_wait_seconds',
            expr: 'callcenter_queue_average_wait_seconds{%(S)s}\n' % { S: S },
          },
          {
            // Average talk time: uContact talkTime.
            record: 'target_queue:callcenter_queue_average_talk_seconds',
            expr: 'callcenter_queue_average_talk_seconds{%(S)s}\n' % { S: S },
          },
        ],
      },
      {
        name: 'callcenter-target.rules',
        rules: [
          {
            record: 'target:callcenter_calls_%s:rate5m' % what,
            expr: 'sum without (queue) (target_queue:callcenter_calls_%s:rate5m)\n' % what,
          }
          for what in ['offered', 'answered', 'abandoned']
        ] + [
          {
            record: 'target:callcenter_calls_abandoned_per_offered:ratio_rate5m',
            expr: |||
              target:callcenter_calls_abandoned:rate5m
              / on (job, instance, target)
              (target:callcenter_calls_offered:rate5m > 0)
            |||,
          },
          {
            // Vendor ratios weighted by the answered calls they cover (since the vendor's
            // statistics reset); Huawei from its counts: sum answered within 20 s / sum offered.
            record: 'target:callcenter_service_level:ratio',
            expr: |||
              (
                sum without (queue) (
                  callcenter_queue_service_level_ratio{%(S)s}
                  * on (%(keep)s)
                  callcenter_queue_calls_answered_total{%(S)s}
                )
                / on (job, instance, target)
                (
                  sum without (queue) (
                    callcenter_queue_calls_answered_total{%(S)s}
                    and on (%(keep)s)
                    callcenter_queue_service_level_ratio{%(S)s}
                  ) > 0
                )
              )
              or
              (
                sum without (queue) (rate(callcenter_queue_window_calls_answered_within_20s{%(S)s}[5m]))
                / on (job, instance, target)
                (sum without (queue) (rate(callcenter_queue_window_calls_offered{%(S)s}[5m])) > 0)
              )
            ||| % { S: S, keep: keep },
          },
          {
            record: 'target:callcenter_queue_longest_wait_seconds:max',
            expr: 'max without (queue) (callcenter_queue_longest_wait_seconds{%(S)s})\n' % { S: S },
          },
          {
            record: 'target:callcenter_queue_calls_waiting:sum',
            expr: 'sum without (queue) (callcenter_queue_calls_waiting{%(S)s})\n' % { S: S },
          },
          {
            // Distinct agents per normalised state: each agent has one callcenter_agent_state
            // series per state, exactly one of them 1. (Summing callcenter_queue_agents over
            // queues would count an agent once per queue.) Absent for a target with
            // agent_metrics: false.
            record: 'target_state:callcenter_agents:count',
            expr: 'sum without (agent) (callcenter_agent_state{%(S)s})\n' % { S: S },
          },
          {
            record: 'target:callcenter_occupancy:ratio',
            expr: |||
              sum without (state) (target_state:callcenter_agents:count{state=~"%(busy)s"})
              / on (job, instance, target)
              (sum without (state) (target_state:callcenter_agents:count{state=~"%(staffed)s"}) > 0)
            ||| % { busy: busyStates, staffed: staffedStates },
          },
        ] + [
          {
            // The vendor's per-queue average, weighted by each queue's answered calls (since the
            // vendor's statistics reset).
            record: 'target:callcenter_queue_average_%s_seconds:weighted_avg' % what,
            expr: |||
              sum without (queue) (
                callcenter_queue_average_%(what)s_seconds{%(S)s}
                * on (%(keep)s)
                callcenter_queue_calls_answered_total{%(S)s}
              )
              / on (job, instance, target)
              (
                sum without (queue) (
                  callcenter_queue_calls_answered_total{%(S)s}
                  and on (%(keep)s)
                  callcenter_queue_average_%(what)s_seconds{%(S)s}
                ) > 0
              )
            ||| % { S: S, keep: keep, what: what },
          }
          for what in ['wait', 'talk']
        ],
      },
    ],
  },
}
