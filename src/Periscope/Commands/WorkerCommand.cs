using Periscope.Delivery;

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

        Worker.RunAsync(Environment.GetEnvironmentVariable, TimeProvider.System).GetAwaiter().GetResult();
        return CommandLine.Ok;
    }
}
