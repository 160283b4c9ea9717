using Periscope.Platform;

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
        if (args[0] is "-h" or "--help" or "help")
        {
            return Help(rest);
        }

        if (rest.Contains("--help") || rest.Contains("-h"))
        {
            return Help(args.AsSpan(0, 1));
        }

        try
        {
            return args[0] switch
            {
                "--version" or "version" => NoArguments(args[0], rest, () => Console.Out.WriteLine(VersionCommand.Text)),
                "schema" => SchemaCommand.Run(rest),
                "hook" or "replay" => Capture(args),
                "flush" or "worker" or "status" or "login" or "logout" or "install" or "uninstall" or "doctor" or "stats" or "report" or "import" => Deliver(args),
                _ => Fail(CommandHelp.UnknownCommand(args[0])),
            };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A directory that cannot be written (read-only, full, a file where a directory belongs).
            Console.Error.WriteLine($"periscope: {FileProblem.Describe(ex)}. Make that path writable by you, or set PERISCOPE_HOME (state) or PERISCOPE_CONFIG (analytics.json) to one that is.");
            return Failure;
        }
        catch (Exception ex)
        {
            // A bug: one line and a failure exit rather than an abort with a stack trace.
            Console.Error.WriteLine($"periscope: unexpected {ex.GetType().Name}: {OneLine(ex.Message)} This is a bug in Periscope; please report it with 'periscope --version'.");
            return Failure;
        }
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
        _ => ReplayCommand.Run(args.AsSpan(1)),
    };
#endif

#if PERISCOPE_CAPTURE_IMAGE
    private static int Deliver(string[] args)
    {
        // Import counts the lines of the commits it finds with libgit2, which only this image
        // carries: it is extracted (if it is not yet) where the delivery image looks for it.
        if (args[0] == "import")
        {
            Periscope.Git.NativeGit.TryConfigure(StatePaths.Resolve(Environment.GetEnvironmentVariable), out _);
        }

        return Periscope.Platform.DeliveryImage.Run(args);
    }
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
        "stats" => StatsCommand.Run(args.AsSpan(1)),
        "report" => ReportCommand.Run(args.AsSpan(1)),
        "import" => ImportCommand.Run(args.AsSpan(1)),
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
                UnknownOption(arg, command);
                return null;
            }
        }

        return !args.IsEmpty;
    }

    /// <summary>The value of a day option (--since, --until) as YYYY-MM-DD; false after printing a usage error.</summary>
    public static bool TryDay(string option, string? value, out DateOnly day, out int exitCode)
    {
        exitCode = Ok;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day))
        {
            return true;
        }

        exitCode = Fail($"'{option}' takes a date as YYYY-MM-DD");
        return false;
    }

    /// <summary>An option the command does not take: a usage error naming the closest one it does.</summary>
    public static int UnknownOption(string option, string command) => Fail(CommandHelp.UnknownOption(option, command));

    /// <summary>Prints a usage error to stderr and returns exit code 2.</summary>
    /// <summary>True, having said why and what to run, when the state directory is not the user's alone (<see cref="StateDirectoryTrust"/>).</summary>
    public static bool RefusesStateDirectory(StatePaths paths)
    {
        if (StateDirectoryTrust.Check(paths, subdirectories: true) is not { } problem)
        {
            return false;
        }

        Console.Error.WriteLine($"periscope: {problem}");
        return true;
    }

    public static int Fail(string message)
    {
        Console.Error.WriteLine($"periscope: {message}");
        Console.Error.WriteLine("Run 'periscope --help' for the commands, 'periscope help COMMAND' for one.");
        return UsageError;
    }

    // periscope help [COMMAND], periscope COMMAND --help: the command's usage, options and an example.
    private static int Help(ReadOnlySpan<string> topic)
    {
        if (topic.IsEmpty)
        {
            Console.Out.Write(Usage.Text);
            return Ok;
        }

        if (CommandHelp.Find(topic[0]) is not { } spec)
        {
            return Fail(CommandHelp.UnknownCommand(topic[0]));
        }

        Console.Out.Write(CommandHelp.Text(spec));
        return Ok;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();

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
