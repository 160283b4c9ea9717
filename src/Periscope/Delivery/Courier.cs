using System.Security.Cryptography;
using Periscope.Auth;
using Periscope.Config;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// One delivery round, as the worker and flush run it: keep the spool within its limits, drain it
/// into the configured sink, and remember in status.json how it went - the back-off after a
/// failure, the last success, what went wrong, what was dropped. Only a holder of the drain lock
/// makes one.
/// </summary>
internal sealed class Courier : IDisposable
{
    private readonly StatePaths _paths;
    private readonly PeriscopeSettings _settings;
    private readonly TimeProvider _time;
    private readonly PeriscopeLog _log;
    private readonly DeliveryOptions _options;
    private readonly DeliveryStateStore _store;
    private readonly SpoolReader _spool;
    private readonly IEventSink? _sink;

    public Courier(StatePaths paths, PeriscopeSettings settings, Func<string, string?> getVariable, TimeProvider time, PeriscopeLog log, DeliveryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _paths = paths;
        _settings = settings;
        _time = time;
        _log = log;
        _options = options ?? DeliveryOptions.Default;
        _store = new DeliveryStateStore(paths);
        _spool = new SpoolReader(paths);
        _sink = settings.Target switch
        {
            DeliveryTarget.Local => new LocalSink(),
            DeliveryTarget.Remote remote => new IngestClient(remote, new AccessTokens(getVariable, remote, AccessTokens.StoreFor(settings, getVariable)), _options, time),
            _ => null,
        };
        State = _store.Load();
    }

    public DeliveryState State { get; private set; }

    /// <summary>How long the back-off still asks to wait; zero when a round may start now.</summary>
    public TimeSpan BackoffRemaining => State.NextAttemptAt is { } next && next > _time.GetUtcNow() ? next - _time.GetUtcNow() : TimeSpan.Zero;

    public async Task<DrainResult> RunAsync(IProgress<DrainProgress>? progress, CancellationToken cancellationToken)
    {
        Trim();
        if (_sink is null)
        {
            var problem = ((DeliveryTarget.Misconfigured)_settings.Target).Problem;
            Record(State with { LastError = problem, LastErrorAt = _time.GetUtcNow() }, problem == State.LastError ? null : problem);
            return DrainResult.Empty with { Stopped = new SinkResult.Unavailable(problem) };
        }

        var result = await new SpoolDrain(_spool, new LocalLedger(_paths), _sink, _options).DrainAsync(progress, cancellationToken);
        var now = _time.GetUtcNow();
        var state = State with
        {
            Delivered = State.Delivered + result.Delivered,
            DeadLettered = State.DeadLettered + result.DeadLettered,
        };
        if (result.Stopped is not { } stopped)
        {
            var signIn = _sink is IngestClient ? "ok" : null;
            if (result.Delivered == 0 && result.DeadLettered == 0 && state == State)
            {
                return result; // nothing happened: no write
            }

            Record(state with { Failures = 0, NextAttemptAt = null, LastError = null, SignIn = signIn, LastSuccessAt = result.Delivered > 0 ? now : State.LastSuccessAt }, null);
            return result;
        }

        var failures = State.Failures + 1;
        var wait = stopped.RetryAfter ?? Backoff.After(failures, _options, RandomNumberGenerator.GetInt32(1_000_000) / 1_000_000.0);
        Record(
            state with
            {
                Failures = failures,
                NextAttemptAt = now + wait,
                LastError = stopped.Reason,
                LastErrorAt = now,
                SignIn = stopped.SignIn ?? State.SignIn,
                LastSuccessAt = result.Delivered > 0 ? now : State.LastSuccessAt,
            },
            stopped.Reason == State.LastError ? null : $"{stopped.Reason}; next attempt in {wait.TotalSeconds:0} s");
        return result;
    }

    public void Dispose() => (_sink as IDisposable)?.Dispose();

    private void Trim()
    {
        var trim = _spool.Trim(_settings.SpoolLimits, _time.GetUtcNow());
        if (trim.Expired + trim.Full == 0)
        {
            return;
        }

        Record(
            State with { DroppedExpired = State.DroppedExpired + trim.Expired, DroppedFull = State.DroppedFull + trim.Full },
            $"spool limits: dropped {trim.Expired} events older than {_settings.SpoolLimits.MaxAge.TotalDays:0} days and {trim.Full} oldest events over {_settings.SpoolLimits.MaxEvents} events / {_settings.SpoolLimits.MaxBytes / (1024 * 1024)} MB");
    }

    /// <summary>Saves the state; logs <paramref name="logLine"/> when there is one (a problem seen for the first time).</summary>
    private void Record(DeliveryState state, string? logLine)
    {
        if (logLine is not null)
        {
            _log.Write("delivery", logLine);
        }

        State = state;
        _store.Save(state);
    }
}
