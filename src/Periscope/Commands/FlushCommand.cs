using Periscope.Delivery;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Commands;

/// <summary>
/// periscope flush: drains the spool in the foreground. With no endpoint configured (local mode)
/// every event goes to the local ledger. Exit 0 when everything was delivered, 1 otherwise.
/// </summary>
internal static class FlushCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (!args.IsEmpty)
        {
            return CommandLine.Fail($"unknown option '{args[0]}' for 'flush'");
        }

        var paths = StatePaths.Resolve(Environment.GetEnvironmentVariable);
        using var held = DrainLock.TryAcquire(paths);
        if (held is null)
        {
            Console.Error.WriteLine("periscope: another periscope process is draining the spool; try again when it is done.");
            return CommandLine.Failure;
        }

        var spool = new SpoolReader(paths);
        var total = spool.Pending().Count;
        var interactive = !Console.IsOutputRedirected;
        var result = new LocalDelivery(spool, new LocalLedger(paths)).Drain(done =>
        {
            if (interactive)
            {
                Console.Out.Write($"\rflushing: {done}/{total} events");
            }
        });

        if (interactive && total > 0)
        {
            Console.Out.WriteLine();
        }

        Console.Out.WriteLine($"local mode: {result.Delivered} events delivered to the local ledger ({paths.Ledger}).");
        if (result.Quarantined > 0)
        {
            Console.Error.WriteLine($"periscope: {result.Quarantined} spool files were not valid events; moved to {paths.Dead} with the reason beside each.");
            return CommandLine.Failure;
        }

        return CommandLine.Ok;
    }
}
