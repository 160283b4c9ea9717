using System.Globalization;
using Periscope.Delivery;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>
/// periscope worker: the background drainer the hook starts. One per state directory (the drain
/// lock; the operating system releases it however the worker ends). Drains the spool, looks again
/// every half second, and exits after PERISCOPE_WORKER_IDLE_SECONDS (default 30) with nothing to do.
/// </summary>
internal static class WorkerCommand
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(500);

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!args.IsEmpty)
        {
            return CommandLine.Fail($"unknown option '{args[0]}' for 'worker'");
        }

        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        using var held = DrainLock.TryAcquire(paths);
        if (held is null)
        {
            return CommandLine.Ok; // another worker is draining
        }

        var time = TimeProvider.System;
        var log = new PeriscopeLog(paths, time, echoToStderr: false);
        var spool = new SpoolReader(paths);
        var delivery = new LocalDelivery(spool, new LocalLedger(paths));
        var idle = IdleTimeout();
        var lastWork = time.GetUtcNow();
        while (true)
        {
            var result = delivery.Drain();
            if (result.Quarantined > 0)
            {
                log.Write("worker", $"{result.Quarantined} spool files were not valid events; moved to dead/");
            }

            if (result.Delivered + result.Quarantined > 0)
            {
                lastWork = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastWork >= idle)
            {
                return CommandLine.Ok;
            }

            Task.Delay(s_poll, time).Wait();
        }
    }

    private static TimeSpan IdleTimeout()
        => int.TryParse(Environment.GetEnvironmentVariable("PERISCOPE_WORKER_IDLE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);
}
