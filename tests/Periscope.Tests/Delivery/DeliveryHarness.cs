using Periscope.Config;
using Periscope.Delivery;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>A state directory of the test's own and couriers that deliver it to an endpoint, in process.</summary>
internal sealed class DeliveryHarness : IDisposable
{
    /// <summary>The shipped options with waits short enough for a test.</summary>
    public static readonly DeliveryOptions Fast = DeliveryOptions.Default with
    {
        RetryDelay = TimeSpan.FromMilliseconds(20),
        AttemptTimeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>For a <see cref="WatchedClock"/>: a per-attempt timeout no test reaches, told apart from the retry delays by its length.</summary>
    public static readonly DeliveryOptions OnTheClock = Fast with { AttemptTimeout = TimeSpan.FromHours(1) };

    private readonly TempDirectory _temp = new();

    public DeliveryHarness()
    {
        Paths = new StatePaths(_temp.Combine("state"));
    }

    public StatePaths Paths { get; }

    /// <summary>A timer that is a retry's delay: not the per-attempt timeout, nor one created stopped.</summary>
    public static bool IsARetryDelay(TimeSpan due) => due > TimeSpan.Zero && due < OnTheClock.AttemptTimeout;

    public string Home => Paths.Root;

    public string Directory => _temp.Path;

    public Courier Courier(Uri endpoint, DeliveryOptions? options = null, string? token = "test-token", string? caFile = null, SpoolLimits? limits = null, TimeProvider? time = null)
        => Courier(new DeliveryTarget.Remote(endpoint, caFile), options, token, limits, time);

    public Courier Courier(DeliveryTarget target, DeliveryOptions? options = null, string? token = "test-token", SpoolLimits? limits = null, TimeProvider? time = null, OtlpTarget? otlp = null)
    {
        var settings = new PeriscopeSettings(_temp.Combine("analytics.json"), target, limits ?? SpoolLimits.Default, null, otlp);
        time ??= TimeProvider.System;
        return new Courier(Paths, settings, name => name == "PERISCOPE_TOKEN" ? token : null, time, new PeriscopeLog(Paths, time, echoToStderr: false), options ?? Fast);
    }

    /// <summary>One delivery round; on <paramref name="time"/> when given (a <see cref="WatchedClock"/>), else the real clock.</summary>
    public async Task<DrainResult> RunAsync(Uri endpoint, DeliveryOptions? options = null, string? token = "test-token", TimeProvider? time = null)
    {
        using var courier = Courier(endpoint, options, token, time: time);
        return await courier.RunAsync(null, CancellationToken.None);
    }

    /// <summary>One delivery round to <paramref name="target"/> and an OTLP receiver.</summary>
    public async Task<DrainResult> RunAsync(DeliveryTarget target, OtlpTarget otlp, DeliveryOptions? options = null, TimeProvider? time = null)
    {
        using var courier = Courier(target, options, time: time, otlp: otlp);
        return await courier.RunAsync(null, CancellationToken.None);
    }

    public IReadOnlyList<string> SpoolIds()
        => StateDirectory.SpoolFiles(Home).Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).ToList();

    public IReadOnlyList<string> DeadIds()
    {
        var dead = System.IO.Path.Combine(Home, "dead");
        return System.IO.Directory.Exists(dead) ? System.IO.Directory.GetFiles(dead, "*.json").Select(f => System.IO.Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList() : [];
    }

    public string DeadReason(string id) => File.ReadAllText(System.IO.Path.Combine(Home, "dead", id + ".json.reason.txt"));

    public int LedgerLines()
    {
        var ledger = System.IO.Path.Combine(Home, "ledger");
        return System.IO.Directory.Exists(ledger) ? System.IO.Directory.GetFiles(ledger).Sum(f => File.ReadAllLines(f).Length) : 0;
    }

    public DeliveryState State() => new DeliveryStateStore(Paths).Load();

    public void Dispose() => _temp.Dispose();
}
