using System.Security.Cryptography;
using Periscope.Auth;
using Periscope.Config;
using Periscope.Delivery.Otlp;
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
    private readonly List<DeliveryLane> _lanes = [];
    private readonly List<(DeliveryLane Lane, DrainResult Result)> _lastRound = [];
    private readonly Dictionary<string, SinkResult.Unavailable> _stoppedLanes = new(StringComparer.Ordinal);

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "The lanes own their sinks; Dispose disposes them.")]
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
        State = _store.Load();
        switch (settings.Target)
        {
            case DeliveryTarget.Remote remote:
                _lanes.Add(new DeliveryLane("ingest", new IngestClient(remote, new AccessTokens(getVariable, remote, AccessTokens.StoreFor(settings, getVariable)), _options, time), _store, State));
                break;
            case DeliveryTarget.Local when settings.Otlp is null:
                _lanes.Add(new DeliveryLane("local", new LocalSink(), _store, State));
                break;
        }

        if (settings.Target is not DeliveryTarget.Misconfigured && settings.Otlp is { } otlp)
        {
            var store = new DeliveryStateStore(paths, "otlp");
            _lanes.Add(new DeliveryLane("otlp", new OtlpClient(otlp, OtlpResource.FromEnvironment(getVariable), paths, _options, time), store, store.Load()));
        }
    }

    /// <summary>status.json: the ingest's state (or local mode's), and the spool's drops.</summary>
    public DeliveryState State { get; private set; }

    /// <summary>What each sink of the last round did.</summary>
    public IReadOnlyList<(DeliveryLane Lane, DrainResult Result)> LastRound => _lastRound;

    /// <summary>The sinks of this round, in order.</summary>
    public IReadOnlyList<DeliveryLane> Lanes => _lanes;

    /// <summary>How long the back-off still asks to wait; zero when some sink may be tried now.</summary>
    public TimeSpan BackoffRemaining => _lanes.Count == 0 ? TimeSpan.Zero : _lanes.Min(Remaining);

    /// <param name="progress">Totals after each batch.</param>
    /// <param name="cancellationToken">Stops the round.</param>
    /// <param name="respectBackoff">Skip a sink whose back-off has not passed (the worker); flush tries every sink.</param>
    public async Task<DrainResult> RunAsync(IProgress<DrainProgress>? progress, CancellationToken cancellationToken, bool respectBackoff = false)
    {
        Trim();
        if (_lanes.Count == 0)
        {
            var problem = ((DeliveryTarget.Misconfigured)_settings.Target).Problem;
            Record(State with { LastError = problem, LastErrorAt = _time.GetUtcNow() }, problem == State.LastError ? null : problem);
            return DrainResult.Empty with { Stopped = new SinkResult.Unavailable(problem) };
        }

        _lastRound.Clear();
        var ledger = new LocalLedger(_paths);
        var names = _lanes.Select(l => l.Name).ToList();
        var total = DrainResult.Empty;
        foreach (var lane in _lanes)
        {
            if (respectBackoff && Remaining(lane) > TimeSpan.Zero)
            {
                total = total with { Stopped = total.Stopped ?? new SinkResult.Unavailable(lane.State.LastError ?? "backing off") };
                continue;
            }

            IDrainRecord record = _lanes.Count == 1 ? new SoleSinkRecord(_spool, ledger) : new SharedSinkRecord(_paths, ledger, lane.Name, names);
            var result = await new SpoolDrain(_spool, record, lane.Sink, _options).DrainAsync(progress, cancellationToken);
            Remember(lane, result);
            _lastRound.Add((lane, result));
            total = new DrainResult(
                total.Delivered + result.Delivered,
                total.DeliveredBytes + result.DeliveredBytes,
                total.DeadLettered + result.DeadLettered,
                total.Stopped ?? result.Stopped);
        }

        return total;
    }

    /// <summary>
    /// Delivers events held in memory (<see cref="HeldEvents"/>) through every sink, as a round
    /// delivers the spool, without a spool file for each: an event every sink has goes straight
    /// to the ledger; what a sink cannot take now is spooled for the worker. A sink that stopped
    /// is not asked again by this courier.
    /// </summary>
    /// <returns>Events that reached every sink (Delivered), refused ones, the first stop, and how many were spooled.</returns>
    public async Task<(DrainResult Result, int Spooled)> DeliverAsync(HeldEvents held, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        if (_lanes.Count == 0)
        {
            var problem = ((DeliveryTarget.Misconfigured)_settings.Target).Problem;
            return (DrainResult.Empty with { Stopped = new SinkResult.Unavailable(problem) }, held.Settle(sinks: 1).Spooled);
        }

        var deadLettered = 0;
        foreach (var lane in _lanes.Where(l => !_stoppedLanes.ContainsKey(l.Name)))
        {
            var result = await new SpoolDrain(held, held.RecordFor(lane.Name, _lanes.Count > 1), lane.Sink, _options).DrainAsync(null, cancellationToken);
            Remember(lane, result);
            deadLettered += result.DeadLettered;
            if (result.Stopped is { } stopped)
            {
                _stoppedLanes[lane.Name] = stopped;
            }
        }

        var (completed, bytes, spooled) = held.Settle(_lanes.Count);
        return (new DrainResult(completed, bytes, deadLettered, _stoppedLanes.Values.FirstOrDefault()), spooled);
    }

    public void Dispose()
    {
        foreach (var lane in _lanes)
        {
            (lane.Sink as IDisposable)?.Dispose();
        }
    }

    private TimeSpan Remaining(DeliveryLane lane)
        => lane.State.NextAttemptAt is { } next && next > _time.GetUtcNow() ? next - _time.GetUtcNow() : TimeSpan.Zero;

    // The lane's state after a round: success clears the back-off; a stop sets it.
    private void Remember(DeliveryLane lane, DrainResult result)
    {
        var before = lane.State;
        var now = _time.GetUtcNow();
        var problem = (lane.Sink as OtlpClient)?.MetricsProblem;
        var state = before with
        {
            Delivered = before.Delivered + result.Delivered,
            DeadLettered = before.DeadLettered + result.DeadLettered,
        };
        if (result.Stopped is not { } stopped)
        {
            var signIn = lane.Sink is IngestClient ? "ok" : null;
            if (result.Delivered == 0 && result.DeadLettered == 0 && state == before)
            {
                return; // nothing happened: no write
            }

            Save(lane, state with { Failures = 0, NextAttemptAt = null, LastError = problem, SignIn = signIn, LastSuccessAt = result.Delivered > 0 ? now : before.LastSuccessAt }, problem == before.LastError ? null : problem);
            return;
        }

        var failures = before.Failures + 1;
        var wait = stopped.RetryAfter ?? Backoff.After(failures, _options, RandomNumberGenerator.GetInt32(1_000_000) / 1_000_000.0);
        Save(
            lane,
            state with
            {
                Failures = failures,
                NextAttemptAt = now + wait,
                LastError = stopped.Reason,
                LastErrorAt = now,
                SignIn = stopped.SignIn ?? before.SignIn,
                LastSuccessAt = result.Delivered > 0 ? now : before.LastSuccessAt,
            },
            stopped.Reason == before.LastError ? null : $"{(lane.Name == "otlp" ? "OTLP: " : string.Empty)}{stopped.Reason}; next attempt in {wait.TotalSeconds:0} s");
    }

    private void Save(DeliveryLane lane, DeliveryState state, string? logLine)
    {
        if (lane.Store == _store)
        {
            Record(state, logLine); // status.json: also where the spool's drops are counted
            return;
        }

        if (logLine is not null)
        {
            _log.Write("delivery", logLine);
        }

        lane.State = state;
        lane.Store.Save(state);
    }

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
        foreach (var lane in _lanes.Where(l => l.Store == _store))
        {
            lane.State = state; // the ingest's (or local mode's) lane reads status.json's state too
        }
    }
}
