using Periscope.Config;
using Periscope.Delivery;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>
/// periscope flush: drains the spool in the foreground, whatever the back-off says. With no
/// endpoint configured (local mode) every event goes to the local ledger; otherwise to the ingest
/// and then the ledger. Exit 0 when everything was delivered, 1 otherwise, with the reason.
/// </summary>
internal static class FlushCommand
{
    /// <summary>How long flush and import wait for a busy worker: long enough for its round through every retry and the per-attempt timeouts.</summary>
    internal static readonly TimeSpan WorkerWait = TimeSpan.FromMinutes(3);

    /// <summary>What flush and import say while they wait for the worker.</summary>
    internal const string WaitingForWorker = "periscope: the background worker is delivering; waiting for it...";

    public static int Run(ReadOnlySpan<string> args)
    {
        if (!args.IsEmpty)
        {
            return CommandLine.UnknownOption(args[0], "flush");
        }

        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        if (CommandLine.RefusesStateDirectory(paths))
        {
            return CommandLine.Failure;
        }

        return RunAsync(paths, Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
    }

    private static async Task<int> RunAsync(StatePaths paths, Func<string, string?> getVariable, TimeProvider time)
    {
        // The background worker (or another flush) may be draining: wait for it rather than fail,
        // and take over whatever it leaves.
        var spool = new SpoolReader(paths);
        var deadBefore = spool.DeadLetters();
        using var held = await DrainLock.AcquireAsync(
            paths,
            waiting: static () => Console.Error.WriteLine(WaitingForWorker),
            pointless: () => spool.Count() == 0,
            WorkerWait,
            time);
        if (held is null)
        {
            return ReportWorker(paths, spool, deadBefore);
        }

        var settings = PeriscopeSettings.Load(getVariable);
        using var courier = new Courier(paths, settings, getVariable, time, new PeriscopeLog(paths, time, echoToStderr: false));
        var progress = new FlushProgress(Console.Out, terminal: !Console.IsOutputRedirected, spool.Count());
        var result = await courier.RunAsync(progress, CancellationToken.None);
        progress.Finish();
        return Report(paths, settings, progress, result, courier.LastRound);
    }

    /// <summary>The worker kept the lock until the spool was empty (or for too long): say how that ended.</summary>
    private static int ReportWorker(StatePaths paths, SpoolReader spool, int deadBefore)
    {
        var waiting = spool.Count();
        if (waiting > 0)
        {
            Console.Error.WriteLine($"periscope: the background worker is still busy after {WorkerWait.TotalMinutes:0} minutes and {waiting} events wait in the spool; see 'periscope status'.");
            return CommandLine.Failure;
        }

        var dead = spool.DeadLetters() - deadBefore;
        if (dead > 0)
        {
            Console.Error.WriteLine($"periscope: the background worker emptied the spool, but {dead} events could not be delivered and were moved to {paths.Dead}, each with a .reason.txt saying why.");
            return CommandLine.Failure;
        }

        Console.Out.WriteLine("The spool is empty: the background worker has delivered it.");
        return CommandLine.Ok;
    }

    /// <summary>"periscope: N events could not be delivered and were moved to dead/, ...": flush's and import's words for dead letters.</summary>
    internal static string DeadLettered(int count, StatePaths paths)
        => $"periscope: {count} events could not be delivered and were moved to {paths.Dead}, each with a .reason.txt saying why.";

    private static int Report(StatePaths paths, PeriscopeSettings settings, FlushProgress progress, DrainResult result, IReadOnlyList<(DeliveryLane Lane, DrainResult Result)> lanes)
    {
        if (settings.Otlp is null)
        {
            var where = settings.Target switch
            {
                DeliveryTarget.Remote remote => $"to {remote.Endpoint}",
                _ => $"to the local ledger ({paths.Ledger})",
            };
            var mode = settings.Target is DeliveryTarget.Remote ? "remote" : "local mode";
            Console.Out.WriteLine($"{mode}: {result.Delivered} events delivered {where} in {progress.Elapsed.TotalSeconds:0.0} s ({progress.Line(new DrainProgress(result.Delivered, result.DeliveredBytes, result.DeadLettered))}).");
        }
        else
        {
            foreach (var (lane, done) in lanes)
            {
                var where = lane.Name == "otlp" ? $"exported to {settings.Otlp.LogsUri ?? settings.Otlp.MetricsUri}" : $"delivered to {((DeliveryTarget.Remote)settings.Target).Endpoint}";
                Console.Out.WriteLine($"{(lane.Name == "otlp" ? "otlp" : "remote")}: {done.Delivered} events {where} in {progress.Elapsed.TotalSeconds:0.0} s{(done.Stopped is { } s ? $"; stopped: {s.Reason}" : string.Empty)}.");
            }

            Console.Out.WriteLine($"The local ledger ({paths.Ledger}) keeps every event once every sink has it.");
        }

        var ok = true;
        if (result.DeadLettered > 0)
        {
            Console.Error.WriteLine(DeadLettered(result.DeadLettered, paths));
            ok = false;
        }

        if (result.Stopped is { } stopped)
        {
            var waiting = new SpoolReader(paths).Count();
            Console.Error.WriteLine($"periscope: {waiting} events were not delivered and wait in the spool: {stopped.Reason}.");
            ok = false;
        }

        return ok ? CommandLine.Ok : CommandLine.Failure;
    }
}
