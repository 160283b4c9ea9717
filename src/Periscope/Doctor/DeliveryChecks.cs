using System.Globalization;
using Periscope.Auth;
using Periscope.Config;
using Periscope.Delivery;
using Periscope.Delivery.Otlp;
using Periscope.Platform;

namespace Periscope.Doctor;

/// <summary>
/// The checks the delivery component makes: is the endpoint reachable, is the user signed in with
/// a token the ingest accepts (403: not a member of a Periscope organization), is the sign-in port
/// free, and how the worker, the queue and the dead letters stand.
/// </summary>
internal sealed class DeliveryChecks(Func<string, string?> getVariable, TimeProvider time)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    public async Task<List<DoctorCheck>> RunAsync(CancellationToken cancellationToken)
    {
        var report = StatusReport.Read(getVariable, time);
        var settings = PeriscopeSettings.Load(getVariable);
        var checks = new List<DoctorCheck>();
        if (settings.Target is DeliveryTarget.Remote target)
        {
            var reachable = await EndpointAsync(target, cancellationToken);
            checks.Add(reachable);
            checks.Add(reachable.Status == CheckStatus.Pass
                ? await SignInAsync(settings, target, report, cancellationToken)
                : DoctorCheck.Skip("sign-in", "not checked: the endpoint cannot be reached"));
            checks.Add(Port(critical: report.TokenSource != AccessTokens.TokenVariable));
            checks.Add(await KeychainAsync(AccessTokens.StoreFor(settings, getVariable), cancellationToken));
        }
        else
        {
            var why = settings.Target is DeliveryTarget.Local ? "local mode: nothing to deliver to" : "analytics.json needs fixing first";
            checks.Add(DoctorCheck.Skip("endpoint", why));
            checks.Add(DoctorCheck.Skip("sign-in", why));
            checks.Add(Port(critical: false));
        }

        checks.Add(settings.Otlp is { } otlp
            ? await OtlpAsync(otlp, cancellationToken)
            : DoctorCheck.Skip("otlp", "no OpenTelemetry receiver configured (OTEL_EXPORTER_OTLP_ENDPOINT, or 'periscope install --otlp URL')"));
        checks.Add(Worker(report));
        checks.Add(Queue(report));
        checks.Add(report.DeadLetters == 0
            ? DoctorCheck.Pass("dead-letters", "none")
            : new DoctorCheck("dead-letters", CheckStatus.Warn, $"{report.DeadLetters} events could not be delivered and were set aside in {Path.Combine(report.StateDirectory, "dead")}", "Each has a .reason.txt beside it saying why; delete them once read."));
        return checks;
    }

    // An empty export, as OTLP allows: the receiver's answer says whether the address, the
    // encoding and the headers (an API key) are right, and nothing is recorded there.
    private async Task<DoctorCheck> OtlpAsync(OtlpTarget target, CancellationToken cancellationToken)
    {
        const string Name = "otlp";
        var where = target.LogsUri ?? target.MetricsUri!;
        using var client = new OtlpClient(target, OtlpResource.None, StatePaths.Resolve(getVariable), DeliveryOptions.Default with { MaxRetryAttempts = 0, AttemptTimeout = ProbeTimeout }, time);
        return await client.SendAsync([], cancellationToken) switch
        {
            SinkResult.Accepted when client.MetricsProblem is { } metrics => new DoctorCheck(Name, CheckStatus.Warn, $"{where} takes log records, but {metrics}", "Check that the receiver accepts OTLP metrics, or set OTEL_METRICS_EXPORTER=none."),
            SinkResult.Accepted => DoctorCheck.Pass(Name, $"{where} accepted an empty export ({(target.LogsProtocol == OtlpProtocol.Json ? "http/json" : "http/protobuf")}, from {target.Source})"),
            SinkResult.Unavailable unavailable => new DoctorCheck(Name, CheckStatus.Fail, unavailable.Reason, $"Check the receiver and its address ({target.Source}); events wait in the spool meanwhile."),
            SinkResult.Undeliverable refused => new DoctorCheck(Name, CheckStatus.Fail, refused.Reason, "Check that the address is an OTLP/HTTP receiver (usually port 4318) and the protocol it takes (OTEL_EXPORTER_OTLP_PROTOCOL)."),
            var other => new DoctorCheck(Name, CheckStatus.Warn, $"{where} answered an empty export unexpectedly ({other.GetType().Name})"),
        };
    }

    // Any HTTP answer means the endpoint is reachable; the metadata document is where sign-in starts.
    private static async Task<DoctorCheck> EndpointAsync(DeliveryTarget.Remote target, CancellationToken cancellationToken)
    {
        const string Name = "endpoint";
        var probe = new Uri(target.Endpoint, ".well-known/oauth-protected-resource");
        using var handler = CertificateTrust.Handler(target.CaFile);
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = ProbeTimeout };
        try
        {
            using var response = await http.GetAsync(probe, cancellationToken);
            return DoctorCheck.Pass(Name, $"{target.Endpoint} answers (HTTP {(int)response.StatusCode} for {probe.AbsolutePath})");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            var why = ex is TaskCanceledException ? $"no answer within {ProbeTimeout.TotalSeconds:0} s" : ex.Message;
            return new DoctorCheck(Name, CheckStatus.Fail, $"cannot reach {target.Endpoint}: {why}", "Check the network; behind a proxy set HTTPS_PROXY; behind a TLS-inspecting proxy set caFile in analytics.json (or SSL_CERT_FILE). Events wait in the spool meanwhile.");
        }
    }

    private async Task<DoctorCheck> SignInAsync(PeriscopeSettings settings, DeliveryTarget.Remote target, StatusReport report, CancellationToken cancellationToken)
    {
        const string Name = "sign-in";
        const string Login = "Run 'periscope login' (or 'periscope login --device-code' without a browser; PERISCOPE_TOKEN in CI and images).";
        using var tokens = new AccessTokens(getVariable, target, AccessTokens.StoreFor(settings, getVariable));
        if (await tokens.GetAsync(refresh: false, cancellationToken) is null)
        {
            return new DoctorCheck(Name, CheckStatus.Fail, tokens.Problem ?? "not signed in", Login);
        }

        using var client = new IngestClient(target, tokens, DeliveryOptions.Default with { MaxRetryAttempts = 0 }, time);
        var source = report.TokenSource ?? tokens.Source ?? "a token";
        return await client.SendAsync([], cancellationToken) switch
        {
            SinkResult.Accepted => DoctorCheck.Pass(Name, $"{source}; the token is fresh and the ingest accepts it"),
            SinkResult.Unavailable { SignIn: "not_a_member" } => new DoctorCheck(Name, CheckStatus.Fail, $"{source}, but the ingest answered 403: not a member of a Periscope organization", "Ask your Periscope admin for an invitation, then run 'periscope login' again."),
            SinkResult.Unavailable { SignIn: "needs_login" } unavailable => new DoctorCheck(Name, CheckStatus.Fail, $"{source}, but the ingest refuses the token: {unavailable.Reason}", Login),
            SinkResult.Unavailable unavailable => new DoctorCheck(Name, CheckStatus.Warn, $"{source}; the ingest could not be asked: {unavailable.Reason}", "Events are delivered once the ingest answers; 'periscope status' shows the back-off."),
            var other => new DoctorCheck(Name, CheckStatus.Warn, $"{source}; the ingest answered an empty batch with {other.GetType().Name}", null),
        };
    }

    // Whether the OS keychain would keep the sign-in (a test secret written, read back, removed).
    private static async Task<DoctorCheck> KeychainAsync(TokenStore store, CancellationToken cancellationToken)
        => await store.CheckKeychainAsync(cancellationToken) switch
        {
            null when store.Keychained is { } keychain => DoctorCheck.Pass("keychain", $"the sign-in's tokens are kept in {keychain}"),
            null => DoctorCheck.Pass("keychain", $"the sign-in's tokens are kept in {store.CachePath} (readable by you alone): {Platform.Keychain.Variable}=off, or no keychain here"),
            var refusal => new DoctorCheck("keychain", CheckStatus.Warn, $"{refusal}; the sign-in's tokens are kept in {store.CachePath} (readable by you alone) instead", $"Unlock or start the keyring and the tokens move there when next used; {Platform.Keychain.Variable}=off keeps them in the file."),
        };

    private static DoctorCheck Port(bool critical)
        => PortOwner.Busy(SignIn.RedirectPort) is { } busy
            ? new DoctorCheck(
                "port",
                critical ? CheckStatus.Fail : CheckStatus.Warn,
                $"localhost:{SignIn.RedirectPort} is {busy}; the browser sign-in needs it",
                "Close that program before signing in, or use 'periscope login --device-code'.")
            : DoctorCheck.Pass("port", $"localhost:{SignIn.RedirectPort} is free for the browser sign-in");

    private DoctorCheck Worker(StatusReport report)
    {
        const string Name = "worker";
        var state = report.State;
        var running = report.WorkerRunning ? "running" : "not running (the next hook starts it)";
        if (state.SignIn is "needs_login" or "not_a_member")
        {
            return new DoctorCheck(Name, CheckStatus.Fail, $"{running}; delivery waits for a sign-in ({state.SignIn})", "Run 'periscope login'.");
        }

        if (state.NextAttemptAt is { } next && next > time.GetUtcNow())
        {
            return new DoctorCheck(Name, CheckStatus.Warn, $"{running}; backing off after {state.Failures} failed rounds until {next.ToString("u", CultureInfo.InvariantCulture)}: {state.LastError}", "'periscope flush' tries now; 'periscope status' shows the last problem.");
        }

        var last = state.LastSuccessAt is { } at ? $"last delivery {at.ToString("u", CultureInfo.InvariantCulture)}" : "nothing delivered yet";
        return DoctorCheck.Pass(Name, $"{running}; {last}");
    }

    private DoctorCheck Queue(StatusReport report)
    {
        const string Name = "queue";
        if (report.QueueDepth == 0)
        {
            return DoctorCheck.Pass(Name, "empty: everything captured has been delivered");
        }

        var age = report.OldestQueuedAt is { } oldest ? time.GetUtcNow() - oldest : TimeSpan.Zero;
        var detail = $"{report.QueueDepth} events waiting, the oldest {Math.Round(age.TotalHours, 1).ToString(CultureInfo.InvariantCulture)} h old";
        return age > TimeSpan.FromDays(1)
            ? new DoctorCheck(Name, CheckStatus.Warn, detail, "Run 'periscope flush' to deliver now and see what stops it.")
            : DoctorCheck.Pass(Name, detail);
    }
}
