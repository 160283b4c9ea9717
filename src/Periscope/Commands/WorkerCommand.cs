using Periscope.Delivery;
using Periscope.Platform;

namespace Periscope.Commands;

/// <summary>periscope worker: the background drainer the hook starts (<see cref="Worker"/>).</summary>
internal static class WorkerCommand
{
    public static int Run(ReadOnlySpan<string> args)
    {
        if (!args.IsEmpty)
        {
            return CommandLine.UnknownOption(args[0], "worker");
        }

        // Started by a hook, which checked the state directory's root; its subdirectories are checked here.
        if (CommandLine.RefusesStateDirectory(StatePaths.Resolve(Environment.GetEnvironmentVariable)))
        {
            return CommandLine.Failure;
        }

        Worker.RunAsync(Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
        return CommandLine.Ok;
    }
}
