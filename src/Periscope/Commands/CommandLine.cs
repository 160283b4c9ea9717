namespace Periscope.Commands;

/// <summary>Reads the first words of the command line and hands over to one command.</summary>
internal static class CommandLine
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int UsageError = 2;

    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length == 0)
        {
            Console.Out.Write(Usage.Text);
            return Ok;
        }

        var rest = args.AsSpan(1);
        return args[0] switch
        {
            "-h" or "--help" or "help" => NoArguments(args[0], rest, () => Console.Out.Write(Usage.Text)),
            "--version" or "version" => NoArguments(args[0], rest, () => Console.Out.WriteLine(VersionCommand.Text)),
            "schema" => NoArguments(args[0], rest, SchemaCommand.Run),
            "hook" => HookCommand.Run(rest),
            "replay" => ReplayCommand.Run(rest),
            "flush" => FlushCommand.Run(rest),
            "worker" => WorkerCommand.Run(rest),
            "status" => StatusCommand.Run(rest),
            "stats" => StatsCommand.Run(rest),
            _ => Fail(args[0].StartsWith('-') ? $"unknown option '{args[0]}'" : $"unknown command '{args[0]}'"),
        };
    }

    /// <summary>Prints a usage error to stderr and returns exit code 2.</summary>
    public static int Fail(string message)
    {
        Console.Error.WriteLine($"periscope: {message}");
        Console.Error.WriteLine("Run 'periscope --help' for the commands.");
        return UsageError;
    }

    private static int NoArguments(string command, ReadOnlySpan<string> rest, Action run)
    {
        if (!rest.IsEmpty)
        {
            return Fail($"'{command}' takes no arguments, got '{rest[0]}'");
        }

        run();
        return Ok;
    }
}
