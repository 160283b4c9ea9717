using System.Globalization;
using Periscope.Config;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// periscope worker: the background drainer the hook starts. One per state directory (the drain
/// lock; the operating system releases it however the worker ends). While delivery backs off it
/// exits at once, and after a failed round it exits rather than spin: the next hook or flush
/// resumes. Otherwise it drains the spool, looks again every half second, and exits after
/// PERISCOPE_WORKER_IDLE_SECONDS (default 30) with nothing to do.
/// </summary>
internal static class Worker
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan s_lockProbeWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs until idle, backing off, or another worker holds the spool.</summary>
    public static async Task RunAsync(Func<string, string?> getVariable, TimeProvider time)
    {
        var paths = StatePaths.Resolve(getVariable);
        var settings = PeriscopeSettings.Load(getVariable);
        var idle = IdleTimeout(getVariable);
        while (true)
        {
            using (var held = await AcquireAsync(paths, time))
            {
                if (held is null)
                {
                    return; // another worker is draining
                }

                using var courier = new Courier(paths, settings, getVariable, time, new PeriscopeLog(paths, time, echoToStderr: false));
                if (courier.BackoffRemaining > TimeSpan.Zero || !await DrainUntilIdleAsync(courier, idle, time))
                {
                    return; // backing off: the next hook or flush resumes
                }
            }

            // A hook that wrote an event while this worker was about to exit saw the lock held and
            // started no worker: look once more with the lock released, so that event is not stranded.
            if (new SpoolReader(paths).Count() == 0)
            {
                return;
            }
        }
    }

    /// <summary>Drains until idle (true) or until a round fails (false).</summary>
    private static async Task<bool> DrainUntilIdleAsync(Courier courier, TimeSpan idle, TimeProvider time)
    {
        var lastWork = time.GetUtcNow();
        while (true)
        {
            var result = await courier.RunAsync(progress: null, CancellationToken.None, respectBackoff: true);
            if (result.Stopped is not null)
            {
                return false;
            }

            if (result.Delivered + result.DeadLettered > 0)
            {
                lastWork = time.GetUtcNow();
            }
            else if (time.GetUtcNow() - lastWork >= idle)
            {
                return true;
            }

            await Task.Delay(s_poll, time);
        }
    }

    // A few tries: `periscope status` or a hook probing the lock holds it for a moment, and a
    // worker starting in that moment should not give up on a spool nobody drains.
    private static Task<FileStream?> AcquireAsync(StatePaths paths, TimeProvider time)
        => DrainLock.AcquireAsync(paths, waiting: static () => { }, pointless: static () => false, s_lockProbeWait, time);

    private static TimeSpan IdleTimeout(Func<string, string?> getVariable)
        => int.TryParse(getVariable("PERISCOPE_WORKER_IDLE_SECONDS"), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(30);
}
