namespace Periscope.Config;

/// <summary>
/// An OpenTelemetry receiver to export to over OTLP/HTTP: where logs and metrics go, the headers
/// each request carries (an API key, say), and the encoding of each.
/// </summary>
/// <param name="LogsUri">Where log records go; null when OTEL_LOGS_EXPORTER=none.</param>
/// <param name="MetricsUri">Where metrics go; null when OTEL_METRICS_EXPORTER=none.</param>
/// <param name="Gzip">Compress request bodies (OTEL_EXPORTER_OTLP_COMPRESSION=gzip); off by default, as OpenTelemetry's exporters have it.</param>
/// <param name="Source">Where the setting came from, for status and messages: "analytics.json" or the variable's name.</param>
internal sealed record OtlpTarget(
    Uri? LogsUri,
    Uri? MetricsUri,
    IReadOnlyList<KeyValuePair<string, string>> LogsHeaders,
    IReadOnlyList<KeyValuePair<string, string>> MetricsHeaders,
    OtlpProtocol LogsProtocol,
    OtlpProtocol MetricsProtocol,
    bool Gzip,
    string Source,
    string? CaFile);
