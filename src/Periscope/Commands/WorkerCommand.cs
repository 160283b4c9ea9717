using System.Globalization;
using Periscope.Config;
using Periscope.Delivery;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>
/// periscope worker: the background drainer the hook starts. One per state directory (the drain
/// lock; the operating system releases it however the worker ends). While delivery backs off it
/// exits at once, and after a failed round it exits rather than spin: the next hook or flush
/// resumes. Otherwise it drains the spool, looks again every half second, and exits after
/// PERISCOPE_WORKER_IDLE_SECONDS (default 30) with nothing to do.
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

        return RunAsync(Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(Func<string, string?> getVariable, TimeProvider time)
    {
        var paths = StatePaths.Resolve(getVariable);
        using var held = DrainLock.TryAcquire(paths);
        if (held is null)
        {
            return CommandLine.Ok; // another worker is draining
        }

        var settings = PeriscopeSettings.Load(getVariable);
        using var courier = new Courier(paths, settings, getVariable, time, new PeriscopeLog(paths, time, echoToStderr: false));
        if (courier.BackoffRemaining > TimeSpan.Zero)
        {
            return CommandLine.Ok;
        }

        var idle = IdleTimeout(getVariable);
        var lastWork = time.GetUtcNow();
        while (true)
        {
            var result = await courier.RunAsync(progress: null, CancellationToken.None);
            if (result.Stopped is not null)
            {
                return CommandLine.Ok;
            }

            if (result.Delivered + result.DeadLettered > 0)
            {
                lastWork = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastWork >= idle)
            {
                return CommandLine.Ok;
            }

            await Task.Delay(s_poll, time);
        }
    }

    private static TimeSpan IdleTimeout(Func<string, string?> getVariable)
        => int.TryParse(getVariable("PERISCOPE_WORKER_IDLE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);
}
