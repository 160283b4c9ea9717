using Periscope.Auth;
using Periscope.Config;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>Everything status shows, read once.</summary>
internal sealed record StatusReport(
    DateTimeOffset Now,
    string Mode,
    string ConfigPath,
    string? ConfigProblem,
    string? Endpoint,
    string? SignIn,
    string? TokenSource,
    string StateDirectory,
    int QueueDepth,
    DateTimeOffset? OldestQueuedAt,
    bool WorkerRunning,
    DeliveryState State,
    int DeadLetters,
    string? LastLogLine,
    OtlpTarget? Otlp = null,
    DeliveryState? OtlpState = null,
    int OtlpDeadLetters = 0,
    string? StateProblem = null)
{
    public static StatusReport Read(Func<string, string?> getVariable, TimeProvider time)
    {
        var paths = StatePaths.Resolve(getVariable);
        var settings = PeriscopeSettings.Load(getVariable);
        var spool = new SpoolReader(paths);
        var state = new DeliveryStateStore(paths).Load();
        var tokenSource = SourceOfToken(settings, getVariable);
        bool workerRunning;
        using (var probe = DrainLock.TryAcquire(paths))
        {
            workerRunning = probe is null;
        }

        var (mode, endpoint, problem) = settings.Target switch
        {
            DeliveryTarget.Local => ("local", null, null),
            DeliveryTarget.Remote remote => ("remote", remote.Endpoint.ToString(), (string?)null),
            DeliveryTarget.Misconfigured bad => ("misconfigured", null, bad.Problem),
            _ => throw new InvalidOperationException("unknown delivery target"),
        };
        var signIn = endpoint is null ? null
            : state.SignIn is "needs_login" or "not_a_member" ? state.SignIn
            : tokenSource is null ? "not_signed_in"
            : "ok";
        return new StatusReport(
            time.GetUtcNow(),
            mode,
            settings.ConfigPath,
            problem,
            endpoint,
            signIn,
            tokenSource,
            paths.Root,
            spool.Count(),
            spool.Oldest() is { } oldest ? new DateTimeOffset(oldest, TimeSpan.Zero) : null,
            workerRunning,
            state,
            spool.DeadLetters(),
            File.Exists(paths.Log) ? File.ReadLines(paths.Log).LastOrDefault() : null,
            settings.Otlp,
            settings.Otlp is null ? null : new DeliveryStateStore(paths, "otlp").Load(),
            Directory.Exists(Path.Combine(paths.Dead, "otlp")) ? Directory.GetFiles(Path.Combine(paths.Dead, "otlp"), "*.json").Length : 0,
            StateDirectoryTrust.Check(paths, subdirectories: true)?.ToString());
    }

    private static string? SourceOfToken(PeriscopeSettings settings, Func<string, string?> getVariable)
    {
        if (settings.Target is not DeliveryTarget.Remote target)
        {
            return null;
        }

        using var tokens = new AccessTokens(getVariable, target, AccessTokens.StoreFor(settings, getVariable));
        return tokens.Source;
    }
}
