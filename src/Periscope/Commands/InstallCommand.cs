using Periscope.Config;
using Periscope.Platform;
using Periscope.Setup;

namespace Periscope.Commands;

/// <summary>
/// periscope install [--project] [--endpoint URL | --local] [--import]: lists the plugin in OpenCode's global
/// (or the project's) opencode.json / opencode.jsonc, keeping everything else in the file, comments
/// included, and creates analytics.json when there is none. When OpenCode has history Periscope
/// does not have yet, says what it is and offers to import it (asks on a terminal; --import
/// imports without asking). periscope uninstall [--project] takes the plugin out again and leaves
/// analytics.json and the collected events alone. Both can be run any number of times.
/// </summary>
internal static class InstallCommand
{
    public const string DefaultEndpoint = "https://ingest.periscope.sh";

    public static int Run(ReadOnlySpan<string> args, bool install)
    {
        var importNow = install && args.Contains("--import");
        var rest = importNow ? args.ToArray().Where(a => a != "--import").ToArray() : args.ToArray();
        var exit = Run(rest, install, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), Console.Out, Console.Error);
        return exit == CommandLine.Ok && install
            ? OfferImport(Environment.GetEnvironmentVariable, importNow, ask: !Console.IsInputRedirected && !Console.IsOutputRedirected, Console.In, Console.Out, Console.Error)
            : exit;
    }

    /// <summary>
    /// When OpenCode's database holds messages Periscope does not have, says what they are and
    /// imports them: at once with <paramref name="importNow"/>, after a yes when it may
    /// <paramref name="ask"/>; else names the command that does it. Exit code of what it ran.
    /// </summary>
    public static int OfferImport(Func<string, string?> getVariable, bool importNow, bool ask, TextReader input, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        var database = Periscope.Import.OpenCodeDatabase.DefaultPath(getVariable);
        if (!File.Exists(database))
        {
            if (importNow)
            {
                output.WriteLine($"No OpenCode history to import: {database} does not exist.");
            }

            return CommandLine.Ok;
        }

        // A database this cannot read is import's to explain; install is done either way.
        var paths = StatePaths.Resolve(getVariable);
        if (ImportCommand.Plan(paths, getVariable, database, since: null, importNow ? error : TextWriter.Null) is not { } plan)
        {
            return importNow ? CommandLine.Failure : CommandLine.Ok;
        }

        if (plan.Events.Count == 0)
        {
            return CommandLine.Ok;
        }

        output.WriteLine(ImportCommand.Describe(plan, database, since: null));
        if (!importNow && !ask)
        {
            output.WriteLine("Run 'periscope import opencode' to bring it in (or install with --import).");
            return CommandLine.Ok;
        }

        if (!importNow)
        {
            output.Write("Import it now? [y/N] ");
            if (input.ReadLine()?.Trim().ToUpperInvariant() is not ("Y" or "YES"))
            {
                output.WriteLine("Not imported. 'periscope import opencode' does it any time.");
                return CommandLine.Ok;
            }
        }

        return ImportCommand.Deliver(paths, getVariable, plan, TimeProvider.System, output, error, terminal: ask);
    }

    public static int Run(ReadOnlySpan<string> args, bool install, Func<string, string?> getVariable, string currentDirectory, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var command = install ? "install" : "uninstall";
        var project = false;
        string? endpoint = null;
        string? otlp = null;
        var local = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--project":
                    project = true;
                    break;
                case "--local" when install:
                    local = true;
                    break;
                case "--endpoint" when install && i + 1 < args.Length:
                    endpoint = args[++i];
                    break;
                case "--endpoint" when install:
                    return CommandLine.Fail("'--endpoint' needs a URL, e.g. --endpoint https://ingest.example.com");
                case "--otlp" when install && i + 1 < args.Length:
                    otlp = args[++i];
                    break;
                case "--otlp" when install:
                    return CommandLine.Fail("'--otlp' needs the receiver's URL, e.g. --otlp http://localhost:4318");
                default:
                    return CommandLine.UnknownOption(args[i], command);
            }
        }

        if (local && endpoint is not null)
        {
            return CommandLine.Fail("'--local' and '--endpoint' exclude each other");
        }

        var analytics = PeriscopeSettings.FindConfig(getVariable);
        if (endpoint is not null && PeriscopeSettings.ParseEndpoint(endpoint, "--endpoint").Problem is { } problem)
        {
            return CommandLine.Fail(problem);
        }

        if (otlp is not null && (!Uri.TryCreate(otlp, UriKind.Absolute, out var otlpUri) || (otlpUri.Scheme != Uri.UriSchemeHttp && otlpUri.Scheme != Uri.UriSchemeHttps)))
        {
            return CommandLine.Fail($"'--otlp' takes the receiver's http:// or https:// URL, e.g. http://localhost:4318; got '{otlp}'");
        }

        var directory = project ? OpenCodeConfigFiles.ProjectDirectory(currentDirectory, getVariable) : PeriscopeSettings.OpenCodeDirectory(getVariable);
        var file = OpenCodeConfigFiles.EditableIn(directory);
        try
        {
            var editable = install ? Installer.AddPlugin(file, output) : Installer.RemovePlugin(file, output);
            if (!editable)
            {
                return CommandLine.Failure;
            }

            if (install)
            {
                Installer.DescribeOpenCode(OpenCodeInstalls.Find(getVariable), output);

                // With --otlp alone, events go to the receiver only: no Periscope endpoint, no sign-in.
                Installer.WriteAnalytics(analytics, local || (otlp is not null && endpoint is null) ? null : endpoint ?? DefaultEndpoint, otlp, endpoint is not null || local, output);
                output.WriteLine("Restart OpenCode to load the plugin; 'periscope doctor' checks the whole setup.");
            }
            else
            {
                output.WriteLine($"{analytics} and the collected events are kept; 'periscope stats' still reports on them.");
            }

            return CommandLine.Ok;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"periscope: cannot {command}: {FileProblem.Describe(ex)}. Check that you can write there, or use --project for the repository's own config.");
            return CommandLine.Failure;
        }
    }
}
