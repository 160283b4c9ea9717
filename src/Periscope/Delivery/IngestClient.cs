using System.IO.Compression;
using System.Net.Http.Headers;
using Periscope.Auth;
using Periscope.Config;
using Periscope.Platform;
using Periscope.Spool;
using Polly;

namespace Periscope.Delivery;

/// <summary>
/// Sends batches to POST {endpoint}/v1/events: {"events":[...]} gzipped, with the bearer token,
/// through <see cref="IngestPipeline"/>; turns the answer into a <see cref="SinkResult"/>
/// (docs/ingest-api.md). HTTPS_PROXY / NO_PROXY apply as .NET reads them.
/// </summary>
internal sealed class IngestClient : IEventSink, IDisposable
{
    private static readonly MediaTypeHeaderValue s_json = new("application/json");
    private static readonly ProductInfoHeaderValue s_userAgent = new("periscope", BuildInfo.Version);

    private readonly DeliveryTarget.Remote _target;
    private readonly AccessTokens _tokens;
    private readonly DeliveryOptions _options;
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;
    private readonly ResiliencePipeline<IngestReply> _pipeline;

    public IngestClient(DeliveryTarget.Remote target, AccessTokens tokens, DeliveryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _tokens = tokens;
        _options = options;
        _handler = Handler(target);
        _http = new HttpClient(_handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        _pipeline = IngestPipeline.Build(options, time);
    }

    public string Mode => "remote";

    public async Task<SinkResult> SendAsync(IReadOnlyList<SpoolEntry> events, CancellationToken cancellationToken)
    {
        var token = await _tokens.GetAsync(refresh: false, cancellationToken);
        if (token is null)
        {
            return NeedsLogin(_tokens.Problem ?? "not signed in: run 'periscope login'");
        }

        var body = Gzip(events);
        var (reply, failure) = await PostAsync(body, token, cancellationToken);
        if (reply is { Status: 401 })
        {
            // Once: a fresh token, then the same request again.
            token = await _tokens.GetAsync(refresh: true, cancellationToken);
            if (token is null)
            {
                return NeedsLogin($"the ingest refused the sign-in (401) and it could not be renewed: {_tokens.Problem ?? "run 'periscope login'"}");
            }

            (reply, failure) = await PostAsync(body, token, cancellationToken);
        }

        return reply is null ? new SinkResult.Unavailable(failure!) : Classify(reply);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
        _tokens.Dispose();
    }

    private static SocketsHttpHandler Handler(DeliveryTarget.Remote target)
    {
        var handler = CertificateTrust.Handler(target.CaFile);
        handler.AllowAutoRedirect = false; // a redirected POST would lose its body; the endpoint should be fixed instead
        handler.PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30);
        return handler;
    }

    private static SinkResult.Unavailable NeedsLogin(string reason) => new(reason, SignIn: "needs_login");

    private async Task<(IngestReply? Reply, string? Failure)> PostAsync(byte[] body, string token, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await _pipeline.ExecuteAsync(
                async (state, token) => await SendOnceAsync(state.Body, state.Bearer, token),
                (Body: body, Bearer: token),
                cancellationToken);
            return (reply, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return (null, IngestPipeline.Describe(ex, _target.Endpoint, _options));
        }
    }

    private async ValueTask<IngestReply> SendOnceAsync(byte[] body, string bearer, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _target.EventsUri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        request.Headers.UserAgent.Add(s_userAgent);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = s_json;
        request.Content.Headers.ContentEncoding.Add("gzip");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        var content = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new IngestReply((int)response.StatusCode, RetryAfter(response.Headers.RetryAfter, response.Headers.Date), content);
    }

    /// <summary>Retry-After as a wait: seconds, or an HTTP date read against the answer's own Date.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset? serverNow)
    {
        if (header?.Delta is { } delta)
        {
            return delta;
        }

        // An HTTP-date counts from the server's own clock when it sent one, so clock skew does not matter.
        return header?.Date is { } date ? TimeSpan.FromTicks(Math.Max(0, (date - (serverNow ?? date)).Ticks)) : null;
    }

    private static SinkResult Classify(IngestReply reply)
    {
        switch (reply.Status)
        {
            case >= 200 and < 300:
                return reply.TryParse() is { } response
                    ? new SinkResult.Accepted(Rejections(response))
                    : new SinkResult.Unavailable($"the ingest answered {reply.Status} with a body that is not an ingest response ({reply.Snippet()}); the batch will be sent again");
            case 400 or 422 when reply.TryParse() is { Rejected.Count: > 0 } refused:
                return new SinkResult.Refused(Rejections(refused));
            case 401:
                return NeedsLogin("the ingest refused the sign-in (401) after a fresh token");
            case 403:
                return new SinkResult.Unavailable(
                    "signed in, but not a member of a Periscope organization (403): ask your Periscope admin for an invitation; events wait in the spool",
                    SignIn: "not_a_member");
            case 413:
                return new SinkResult.TooLarge();
            case 408 or 429 or >= 500:
                return new SinkResult.Unavailable($"the ingest answered {reply.Status} ({reply.Snippet()})", RetryAfter: reply.RetryAfter);
            case >= 300 and < 400:
                return new SinkResult.Unavailable($"the ingest answered {reply.Status}, a redirect: set endpoint in analytics.json to where it points");
            default:
                return new SinkResult.Undeliverable($"the ingest answered {reply.Status}: {reply.Snippet()}");
        }
    }

    private static List<Rejection> Rejections(IngestResponse response)
        => response.Rejected?.Where(r => r.EventId is not null).Select(r => new Rejection(r.EventId!, $"rejected by the ingest: {r.Reason ?? "no reason given"}")).ToList() ?? [];

    private static byte[] Gzip(IReadOnlyList<SpoolEntry> events)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write("{\"events\":["u8);
            for (var i = 0; i < events.Count; i++)
            {
                if (i > 0)
                {
                    gzip.WriteByte((byte)',');
                }

                gzip.Write(events[i].Json);
            }

            gzip.Write("]}"u8);
        }

        return buffer.ToArray();
    }
}
