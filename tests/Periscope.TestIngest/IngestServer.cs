using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Periscope.TestIngest;

/// <summary>
/// A real ingest on 127.0.0.1 and a random port, speaking docs/ingest-api.md: POST /v1/events,
/// gzip, bearer token, {"events":[...]} -> {"accepted":n,"rejected":[...]}. It stores events by
/// event_id (a repeat is counted, not stored twice), records every request, and injects faults:
/// a queue of one-off faults, then the standing rules (reject some ids, 413 above a batch size,
/// a required token).
/// </summary>
public sealed class IngestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<IngestFault> _faults = new();
    private readonly ConcurrentDictionary<string, ReceivedEvent> _stored = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ReceivedEvent> _received = new();
    private readonly ConcurrentQueue<ReceivedRequest> _requests = new();
    private readonly ConcurrentQueue<IngestFault> _otlpFaults = new();
    private readonly ConcurrentQueue<OtlpRequest> _otlpRequests = new();
    private int _requestCount;

    private IngestServer(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>The endpoint to configure, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Endpoint { get; }

    /// <summary>When set, a request without "Bearer {this}" gets 401.</summary>
    public string? RequiredToken { get; set; }

    /// <summary>Batches with more events than this get 413.</summary>
    public int? MaxEventsPerRequest { get; set; }

    /// <summary>Events refused by id, with a reason: answered 200 with them in "rejected", or 400 when <see cref="RefuseWith400"/>.</summary>
    public Func<string, string?>? Reject { get; set; }

    public bool RefuseWith400 { get; set; }

    /// <summary>Served as GET /.well-known/oauth-protected-resource (RFC 9728) when set, as it is (so a test can serve a broken one); 404 otherwise.</summary>
    public string? ProtectedResourceMetadata { get; set; }

    /// <summary>When set, a bearer token it does not accept gets 401 (a real ingest asks its provider).</summary>
    public Func<string, Task<bool>>? ValidateToken { get; set; }

    /// <summary>Every event stored, one per event_id.</summary>
    public IReadOnlyDictionary<string, ReceivedEvent> Stored => _stored;

    /// <summary>Every event of every request that reached the handler, repeats included.</summary>
    public IReadOnlyCollection<ReceivedEvent> Received => _received;

    public IReadOnlyCollection<ReceivedRequest> Requests => _requests;

    public int RequestCount => Volatile.Read(ref _requestCount);

    /// <summary>Starts on 127.0.0.1 and a free port; with a certificate, over HTTPS.</summary>
    public static async Task<IngestServer> StartAsync(X509Certificate2? certificate = null, int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                if (certificate is not null)
                {
                    listen.UseHttps(certificate);
                }
            });
        });
        var app = builder.Build();
        IngestServer? server = null;
        app.MapPost("/v1/events", (HttpContext context) => server!.HandleAsync(context));
        app.MapGet("/.well-known/oauth-protected-resource", (HttpContext context) => server!.MetadataAsync(context));
        app.MapPost("/v1/logs", (HttpContext context) => server!.OtlpAsync(context));
        app.MapPost("/v1/metrics", (HttpContext context) => server!.OtlpAsync(context));
        await app.StartAsync();
        var address = app.Urls.First();
        server = new IngestServer(app, new Uri(address.EndsWith('/') ? address : address + "/"));
        return server;
    }

    /// <summary>Every OTLP request (/v1/logs, /v1/metrics), bodies decompressed.</summary>
    public IReadOnlyCollection<OtlpRequest> OtlpRequests => _otlpRequests;

    /// <summary>OTLP requests that mention one of these event ids get a partial_success refusing them, with <see cref="OtlpRejectMessage"/>.</summary>
    public IReadOnlySet<string> OtlpReject { get; set; } = new HashSet<string>();

    public string OtlpRejectMessage { get; set; } = "attribute value too long";

    /// <summary>The next OTLP requests get these faults, one each, in order.</summary>
    public void EnqueueOtlp(params IngestFault[] faults)
    {
        foreach (var fault in faults)
        {
            _otlpFaults.Enqueue(fault);
        }
    }

    /// <summary>The next requests get these faults, one each, in order.</summary>
    public void Enqueue(params IngestFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var number = Interlocked.Increment(ref _requestCount);
        var authorization = context.Request.Headers.Authorization.ToString();
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        _faults.TryDequeue(out var fault);
        if (await AnswerWithFaultAsync(context, fault, status => Record(context, number, authorization, encoding, 0, status)))
        {
            return;
        }

        var unauthorized = RequiredToken is { } token && authorization != "Bearer " + token;
        if (!unauthorized && ValidateToken is { } validate)
        {
            unauthorized = !authorization.StartsWith("Bearer ", StringComparison.Ordinal) || !await validate(authorization["Bearer ".Length..]);
        }

        if (unauthorized)
        {
            Record(context, number, authorization, encoding, 0, 401);
            await DrainAsync(context);
            await WriteAsync(context, 401, """{"error":"invalid_token"}""");
            return;
        }

        List<ReceivedEvent> events;
        try
        {
            events = await ReadEventsAsync(context, number);
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or KeyNotFoundException)
        {
            Record(context, number, authorization, encoding, 0, 400);
            await WriteAsync(context, 400, """{"error":"not a batch of events"}""");
            return;
        }

        if (MaxEventsPerRequest is { } max && events.Count > max)
        {
            Record(context, number, authorization, encoding, events.Count, 413);
            await WriteAsync(context, 413, string.Empty);
            return;
        }

        var rejected = events.Select(e => (e.EventId, Reason: Reject?.Invoke(e.EventId))).Where(r => r.Reason is not null).ToList();
        if (rejected.Count > 0 && RefuseWith400)
        {
            Record(context, number, authorization, encoding, events.Count, 400);
            await WriteAsync(context, 400, Response(0, rejected));
            return;
        }

        var accepted = 0;
        foreach (var received in events)
        {
            _received.Enqueue(received);
            if (!rejected.Any(r => r.EventId == received.EventId))
            {
                _stored.TryAdd(received.EventId, received);
                accepted++;
            }
        }

        Record(context, number, authorization, encoding, events.Count, 200);
        if (fault is IngestFault.Slow slow)
        {
            await Task.Delay(slow.Delay, CancellationToken.None);
        }

        if (fault is IngestFault.HoldReply hold)
        {
            hold.Stored.TrySetResult(number);
            try
            {
                await hold.Release.WaitAsync(context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return; // the client went away without reading the answer
            }
        }

        await WriteAsync(context, 200, fault is IngestFault.MalformedBody ? "<html>gateway says hello" : Response(accepted, rejected));
    }

    // OTLP/HTTP as a receiver speaks it: protobuf or JSON, gzip or not; 200 with an empty response,
    // or a partial_success naming how many records it refused.
    private async Task OtlpAsync(HttpContext context)
    {
        var json = context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true;
        var encoding = context.Request.Headers.ContentEncoding.ToString();
        _otlpFaults.TryDequeue(out var fault);
        if (await AnswerWithFaultAsync(context, fault, status => _otlpRequests.Enqueue(new OtlpRequest(context.Request.Path, json, encoding, [], status))))
        {
            return;
        }

        using var body = new MemoryStream();
        var source = encoding == "gzip" ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
        await using (source)
        {
            await source.CopyToAsync(body);
        }

        var bytes = body.ToArray();
        _otlpRequests.Enqueue(new OtlpRequest(context.Request.Path, json, encoding, bytes, 200));
        var text = Encoding.UTF8.GetString(bytes);
        var rejected = OtlpReject.Count(id => text.Contains(id, StringComparison.Ordinal));
        context.Response.StatusCode = 200;
        context.Response.ContentType = json ? "application/json" : "application/x-protobuf";
        if (json)
        {
            await context.Response.WriteAsync(rejected == 0 ? "{}" : $$$"""{"partialSuccess":{"rejectedLogRecords":"{{{rejected}}}","errorMessage":"{{{OtlpRejectMessage}}}"}}""");
            return;
        }

        if (rejected > 0)
        {
            // ExportLogsServiceResponse { partial_success (1) { rejected_log_records (1), error_message (2) } }
            var message = Encoding.UTF8.GetBytes(OtlpRejectMessage);
            var partial = new List<byte> { 0x08, (byte)rejected, 0x12, (byte)message.Length };
            partial.AddRange(message);
            await context.Response.Body.WriteAsync(new byte[] { 0x0a, (byte)partial.Count }.Concat(partial).ToArray());
        }
    }

    // A status fault (with its Retry-After and body) or a reset: true when the request was answered so.
    private static async Task<bool> AnswerWithFaultAsync(HttpContext context, IngestFault? fault, Action<int> record)
    {
        switch (fault)
        {
            case IngestFault.Status status:
                record(status.Code);
                await DrainAsync(context);
                if (status.RetryAfter is not null)
                {
                    context.Response.Headers.RetryAfter = status.RetryAfter;
                }

                if (status.Date is not null)
                {
                    context.Response.Headers.Date = status.Date;
                }

                await WriteAsync(context, status.Code, status.Body);
                return true;
            case IngestFault.ResetMidBody:
                record(0);
                _ = await context.Request.Body.ReadAsync(new byte[16]);
                context.Abort();
                return true;
            default:
                return false;
        }
    }

    private Task MetadataAsync(HttpContext context)
        => ProtectedResourceMetadata is { } metadata ? WriteAsync(context, 200, metadata) : WriteAsync(context, 404, """{"error":"not_found"}""");

    private static async Task<List<ReceivedEvent>> ReadEventsAsync(HttpContext context, int number)
    {
        using var body = new MemoryStream();
        var source = context.Request.Headers.ContentEncoding == "gzip" ? new GZipStream(context.Request.Body, CompressionMode.Decompress) : context.Request.Body;
        await using (source)
        {
            await source.CopyToAsync(body);
        }

        using var document = JsonDocument.Parse(body.ToArray());
        return document.RootElement.GetProperty("events").EnumerateArray()
            .Select(e => new ReceivedEvent(e.GetProperty("event_id").GetString()!, e.GetProperty("kind").GetString()!, e.GetRawText(), number))
            .ToList();
    }

    private static string Response(int accepted, IEnumerable<(string EventId, string? Reason)> rejected)
        => JsonSerializer.Serialize(new IngestAnswer(accepted, rejected.Select(r => new IngestAnswerRejection(r.EventId, r.Reason!)).ToList()), IngestAnswerJson.Default.IngestAnswer);

    private static async Task DrainAsync(HttpContext context)
    {
        await context.Request.Body.CopyToAsync(Stream.Null);
    }

    private static async Task WriteAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(body));
    }

    private void Record(HttpContext context, int number, string? authorization, string? encoding, int events, int status)
        => _requests.Enqueue(new ReceivedRequest(number, authorization, encoding, events, status, context.Request.IsHttps));
}
