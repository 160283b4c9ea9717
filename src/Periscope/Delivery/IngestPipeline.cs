using System.Net.Sockets;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Periscope.Delivery;

/// <summary>
/// The Polly pipeline around one ingest request: retry (exponential with jitter, Retry-After
/// honoured) outside a circuit breaker outside a per-attempt timeout. A Retry-After longer than
/// <see cref="DeliveryOptions.MaxRetryAfterWithinRound"/> is not waited out here: the round ends
/// and the persisted back-off takes over.
/// </summary>
internal static class IngestPipeline
{
    public static ResiliencePipeline<IngestReply> Build(DeliveryOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = new ResiliencePipelineBuilder<IngestReply> { TimeProvider = time };
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<IngestReply>
            {
                ShouldHandle = args => ValueTask.FromResult(IsFault(args.Outcome) && WaitIsShort(args.Outcome, options)),
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.RetryAfter),
            });
        }

        return builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<IngestReply>
            {
                ShouldHandle = args => ValueTask.FromResult(IsFault(args.Outcome)),
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>A fault of the network or the server: worth trying again.</summary>
    public static bool IsFault(Outcome<IngestReply> outcome)
        => outcome.Exception is HttpRequestException or TimeoutRejectedException or IOException or SocketException
            || outcome.Result is { IsTransient: true };

    private static bool WaitIsShort(Outcome<IngestReply> outcome, DeliveryOptions options)
        => outcome.Result?.RetryAfter is not { } wait || wait <= options.MaxRetryAfterWithinRound;

    /// <summary>Words for an exception the pipeline let through.</summary>
    public static string Describe(Exception exception, Uri endpoint, DeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            BrokenCircuitException => $"{endpoint.Host} failed repeatedly; not calling it for {options.BreakerBreakDuration.TotalSeconds:0} s",
            TimeoutRejectedException => $"{endpoint.Host} did not answer within {options.AttemptTimeout.TotalSeconds:0.#} s",
            HttpRequestException { InnerException: System.Security.Authentication.AuthenticationException tls } =>
                $"TLS with {endpoint.Host} failed ({tls.Message}); behind a TLS-inspecting proxy, set caFile in analytics.json or SSL_CERT_FILE to its CA bundle",
            HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } http => $"cannot connect to {endpoint.Host}:{endpoint.Port} ({http.Message})",
            HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => $"cannot resolve {endpoint.Host} (offline, or a proxy is needed: HTTPS_PROXY)",
            _ => $"{endpoint.Host}: {exception.Message}",
        };
    }
}
