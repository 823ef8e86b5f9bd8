// The Grafana dashboards, kept as plain JSON in dashboards/ at the top of the repository
// (Grafana's own export format, edited there). Imported lazily: rendering the rules and alerts
// never reads these files.
{
  grafanaDashboards+:: {
    'callcenter-wallboard.json': import '../../dashboards/callcenter-wallboard.json',
    'callcenter-queue.json': import '../../dashboards/callcenter-queue.json',
    'callcenter-agents.json': import '../../dashboards/callcenter-agents.json',
    'callcenter-exporter.json': import '../../dashboards/callcenter-exporter.json',
  },
}
