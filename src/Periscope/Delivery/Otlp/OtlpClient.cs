using System.Buffers;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using Periscope.Config;
using Periscope.Platform;
using Periscope.Spool;
using Polly;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// Exports batches to an OpenTelemetry receiver over OTLP/HTTP: one log record per event to
/// /v1/logs, then the batch's delta metrics to /v1/metrics; protobuf or JSON, gzipped on request. Retries 429,
/// 502, 503 and 504 (Retry-After honoured) through the same Polly pipeline as the ingest. A
/// partial_success sends the batch again in halves until the refused events stand alone and go to
/// dead/ with the receiver's message; a 400 dead-letters the batch with its reason. Metrics are
/// derived from the records: a receiver that refuses them is reported, and never holds events back.
/// </summary>
internal sealed class OtlpClient : IEventSink, IDisposable
{
    private static readonly ProductInfoHeaderValue s_userAgent = new("periscope", BuildInfo.Version);

    private readonly OtlpTarget _target;
    private readonly OtlpResource _resource;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly string _metricsMark;
    private DateTimeOffset? _metricsSince;
    private bool _metricsSinceRead;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<IngestReply> _pipeline;

    // One request body at a time, reused batch after batch rather than allocated for each
    // (it did not move the worker's peak RSS: docs/opentelemetry.md).
    private readonly ProtoWriter _protobuf = new();
    private readonly ArrayBufferWriter<byte> _json = new(64 * 1024);

    public OtlpClient(OtlpTarget target, OtlpResource resource, StatePaths paths, DeliveryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(paths);
        _target = target;
        _resource = resource;
        _options = options;
        _time = time;
        _metricsMark = Path.Combine(paths.Root, "otlp-metrics-until");
        _handler = CertificateTrust.Handler(target.CaFile);
        _handler.AllowAutoRedirect = false;
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = IngestPipeline.Build(options, time);
    }

    public string Mode => "otlp";

    /// <summary>What the last metrics export said when the receiver refused it; null when it took them.</summary>
    public string? MetricsProblem { get; private set; }

    public async Task<SinkResult> SendAsync(IReadOnlyList<SpoolEntry> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var now = _time.GetUtcNow();
        var batch = OtlpBatch.From([.. events.Select(e => e.Event)], _resource, MetricsSince(), now);
        if (_target.LogsUri is { } logsUri)
        {
            var json = _target.LogsProtocol == OtlpProtocol.Json;
            var body = json ? OtlpJson.Logs(batch, OtlpBatch.Nanos(now), _json) : OtlpProtobuf.Logs(batch, OtlpBatch.Nanos(now), _protobuf);
            var (reply, failure) = await PostAsync(logsUri, body, json, _target.LogsHeaders, cancellationToken);
            if (reply is null)
            {
                return new SinkResult.Unavailable(failure!);
            }

            if (Classify(reply, json, logsUri, events.Count) is { } refused)
            {
                return refused;
            }
        }

        if (_target.MetricsUri is { } metricsUri)
        {
            var json = _target.MetricsProtocol == OtlpProtocol.Json;
            var body = json ? OtlpJson.Metrics(batch, _json) : OtlpProtobuf.Metrics(batch, _protobuf);
            var (reply, failure) = await PostAsync(metricsUri, body, json, _target.MetricsHeaders, cancellationToken);
            if (reply is null)
            {
                return new SinkResult.Unavailable(failure!);
            }

            if (reply.IsTransient)
            {
                return new SinkResult.Unavailable($"the OTLP receiver answered {reply.Status} for metrics", RetryAfter: reply.RetryAfter);
            }

            MetricsProblem = reply.Status is >= 200 and < 300
                ? OtlpResponse.Read(reply.Body, json, error: false) is { Rejected: > 0 } partly ? $"the OTLP receiver refused {partly.Rejected} metric data points: {partly.Message}" : null
                : $"the OTLP receiver refused the metrics ({reply.Status}: {OtlpResponse.Read(reply.Body, json, error: true).Message ?? reply.Snippet()}); log records are exported all the same";
            if (events.Count > 0)
            {
                MarkMetrics(now); // an empty export (doctor's) leaves the series where it is
            }
        }

        return new SinkResult.Accepted([]);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    // Null when the logs were taken; otherwise what the drain should do with the batch.
    private static SinkResult? Classify(IngestReply reply, bool json, Uri uri, int count)
    {
        switch (reply.Status)
        {
            case >= 200 and < 300:
                var answer = OtlpResponse.Read(reply.Body, json, error: false);
                if (answer.Rejected <= 0)
                {
                    return null;
                }

                var message = $"refused by the OTLP receiver: {answer.Message ?? "no reason given"}";
                return answer.Rejected >= count ? new SinkResult.Undeliverable(message) : new SinkResult.PartlyRejected(message);
            case 400:
                return new SinkResult.Undeliverable($"the OTLP receiver refused the batch (400): {OtlpResponse.Read(reply.Body, json, error: true).Message ?? reply.Snippet()}");
            case 401 or 403:
                return new SinkResult.Unavailable($"the OTLP receiver at {uri.Host}:{uri.Port} refused the credentials ({reply.Status}): check the headers (OTEL_EXPORTER_OTLP_HEADERS or otlp.headers in analytics.json); events wait in the spool");
            case 404:
                return new SinkResult.Unavailable($"there is no OTLP receiver at {uri} (404): check the endpoint; events wait in the spool");
            case 413:
                return new SinkResult.TooLarge();
            case 408 or 429 or >= 500:
                return new SinkResult.Unavailable($"the OTLP receiver answered {reply.Status} ({reply.Snippet()})", RetryAfter: reply.RetryAfter);
            case >= 300 and < 400:
                return new SinkResult.Unavailable($"the OTLP receiver answered {reply.Status}, a redirect: set the endpoint to where it points");
            default:
                return new SinkResult.Undeliverable($"the OTLP receiver answered {reply.Status}: {OtlpResponse.Read(reply.Body, json, error: true).Message ?? reply.Snippet()}");
        }
    }

    private async Task<(IngestReply? Reply, string? Failure)> PostAsync(Uri uri, ReadOnlyMemory<byte> body, bool json, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        var content = _target.Gzip ? Gzip(body.Span) : body;
        try
        {
            var reply = await _pipeline.ExecuteAsync(
                async (state, token) => await SendOnceAsync(state.Uri, state.Body, state.Json, state.Headers, token),
                (Uri: uri, Body: content, Json: json, Headers: headers),
                cancellationToken);
            return (reply, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, IngestPipeline.Describe(ex, uri, _options));
        }
    }

    private async ValueTask<IngestReply> SendOnceAsync(Uri uri, ReadOnlyMemory<byte> body, bool json, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri);
        request.Headers.UserAgent.Add(s_userAgent);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(json ? "application/json" : "application/x-protobuf");
        if (_target.Gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new IngestReply((int)response.StatusCode, IngestClient.RetryAfter(response.Headers.RetryAfter, response.Headers.Date), content);
    }

    private static byte[] Gzip(ReadOnlySpan<byte> body)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(body);
        }

        return buffer.ToArray();
    }

    // The metrics of one export cover the time since the previous one, so a receiver's delta-to-
    // cumulative conversion sees one unbroken series; the first covers the batch's oldest event.
    // Read once per worker (only the drain lock's holder exports); kept in memory after that.
    private DateTimeOffset? MetricsSince()
    {
        if (!_metricsSinceRead)
        {
            _metricsSinceRead = true;
            try
            {
                _metricsSince = File.Exists(_metricsMark) && DateTimeOffset.TryParse(File.ReadAllText(_metricsMark), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var since) ? since : null;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _metricsSince = null;
            }
        }

        return _metricsSince;
    }

    private void MarkMetrics(DateTimeOffset until)
    {
        _metricsSince = until;
        PrivateFiles.WriteAtomically(_metricsMark, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(until.ToString("O", CultureInfo.InvariantCulture))));
    }
}
