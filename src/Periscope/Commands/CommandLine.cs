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
            "hook" or "replay" or "stats" => Capture(args),
            "flush" or "worker" or "status" or "login" or "logout" or "install" or "uninstall" or "doctor" => Deliver(args),
            _ => Fail(args[0].StartsWith('-') ? $"unknown option '{args[0]}'" : $"unknown command '{args[0]}'"),
        };
    }

    // Each image links only the commands it runs: the trimmer then leaves the other side out
    // (Platform/DeliveryImage.cs says why). A build without PERISCOPE_IMAGE runs everything.
#if PERISCOPE_DELIVERY_IMAGE
    private static int Capture(string[] args)
        => Fail($"'{args[0]}' runs in the installed periscope, not in its delivery component");
#else
    private static int Capture(string[] args) => args[0] switch
    {
        "hook" => HookCommand.Run(args.AsSpan(1)),
        "replay" => ReplayCommand.Run(args.AsSpan(1)),
        _ => StatsCommand.Run(args.AsSpan(1)),
    };
#endif

#if PERISCOPE_CAPTURE_IMAGE
    private static int Deliver(string[] args) => Periscope.Platform.DeliveryImage.Run(args);
#else
    private static int Deliver(string[] args) => args[0] switch
    {
        "flush" => FlushCommand.Run(args.AsSpan(1)),
        "worker" => WorkerCommand.Run(args.AsSpan(1)),
        "login" => LoginCommand.Run(args.AsSpan(1)),
        "logout" => LogoutCommand.Run(args.AsSpan(1)),
        "install" => InstallCommand.Run(args.AsSpan(1), install: true),
        "uninstall" => InstallCommand.Run(args.AsSpan(1), install: false),
        "doctor" => DoctorCommand.Run(args.AsSpan(1)),
        _ => StatusCommand.Run(args.AsSpan(1)),
    };
#endif

    /// <summary>The only option of a report command (status, doctor): --json. Null after printing a usage error.</summary>
    public static bool? JsonOption(ReadOnlySpan<string> args, string command)
    {
        foreach (var arg in args)
        {
            if (arg != "--json")
            {
                Fail($"unknown option '{arg}' for '{command}'");
                return null;
            }
        }

        return !args.IsEmpty;
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
