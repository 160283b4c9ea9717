using Periscope.Config;
using Periscope.Platform;
using Periscope.Setup;

namespace Periscope.Commands;

/// <summary>
/// periscope install [--project] [--endpoint URL | --local]: lists the plugin in OpenCode's global
/// (or the project's) opencode.json / opencode.jsonc, keeping everything else in the file, comments
/// included, and creates analytics.json when there is none. periscope uninstall [--project] takes
/// the plugin out again and leaves analytics.json and the collected events alone. Both can be run
/// any number of times.
/// </summary>
internal static class InstallCommand
{
    public const string DefaultEndpoint = "https://ingest.periscope.sh";

    public static int Run(ReadOnlySpan<string> args, bool install)
        => Run(args, install, Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory(), Console.Out, Console.Error);

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
