using System.Text.Json;
using System.Text;
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
            var editable = install ? AddPlugin(file, output) : RemovePlugin(file, output);
            if (!editable)
            {
                return CommandLine.Failure;
            }

            if (install)
            {
                // With --otlp alone, events go to the receiver only: no Periscope endpoint, no sign-in.
                WriteAnalytics(analytics, local || (otlp is not null && endpoint is null) ? null : endpoint ?? DefaultEndpoint, otlp, endpoint is not null || local, output);
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

    // False when the file cannot be edited (it says why); true otherwise, changed or not.
    private static bool AddPlugin(string file, TextWriter output)
    {
        var text = File.Exists(file) ? File.ReadAllText(file) : "{\n  \"$schema\": \"https://opencode.ai/config.json\"\n}\n";
        if (Parse(file, text, output) is not { } list)
        {
            return false;
        }

        if (list.Listed)
        {
            output.WriteLine($"{PluginList.PackageName} is already listed in {file}.");
        }
        else
        {
            Replace(file, list.WithPeriscope());
            output.WriteLine($"Added {PluginList.PackageName} to \"plugin\" in {file}.");
        }

        if (list.ListedInOldForm)
        {
            output.WriteLine($"{file} also names it under \"plugins\": {{...}}, the form older Periscope docs show. OpenCode ignores that key (it reads \"plugin\": [...]); you can delete it.");
        }

        return true;
    }

    private static bool RemovePlugin(string file, TextWriter output)
    {
        if (!File.Exists(file))
        {
            output.WriteLine($"{file} does not exist: {PluginList.PackageName} is not listed there.");
            return true;
        }

        if (Parse(file, File.ReadAllText(file), output) is not { } list)
        {
            return false;
        }

        if (list.Listed)
        {
            Replace(file, list.WithoutPeriscope());
            output.WriteLine($"Removed {PluginList.PackageName} from \"plugin\" in {file}.");
        }
        else
        {
            output.WriteLine($"{PluginList.PackageName} is not listed in {file}.");
        }

        if (list.ListedInOldForm)
        {
            output.WriteLine($"{file} still names it under \"plugins\": {{...}}, which OpenCode ignores; you can delete that entry.");
        }

        return true;
    }

    private static PluginList? Parse(string file, string text, TextWriter output)
    {
        try
        {
            return PluginList.Parse(text);
        }
        catch (JsonException ex)
        {
            output.WriteLine($"periscope: {file} is not valid JSON ({ex.Message}). Fix it and run this again; nothing was changed.");
            return null;
        }
    }

    private static void WriteAnalytics(string path, string? endpoint, string? otlp, bool asked, TextWriter output)
    {
        if (File.Exists(path) && otlp is not null)
        {
            var added = AnalyticsFile.AddOtlp(File.ReadAllText(path), otlp);
            if (added is not null)
            {
                Replace(path, added);
                output.WriteLine($"Added \"otlp\" to {path}: every event is also exported to {otlp} (OTLP/HTTP, protobuf).");
            }
            else
            {
                output.WriteLine($"{path} names an OTLP receiver already; left as it is, edit it to change that.");
            }

            return;
        }

        if (File.Exists(path))
        {
            var settings = PeriscopeSettings.Load(name => name == PeriscopeSettings.ConfigVariable ? path : null);
            var now = settings.Target switch
            {
                DeliveryTarget.Remote remote => $"events go to {remote.Endpoint}",
                DeliveryTarget.Local => "local mode",
                DeliveryTarget.Misconfigured bad => $"it needs fixing: {bad.Problem}",
                _ => string.Empty,
            };
            output.WriteLine($"{path} exists ({now}){(asked ? "; left as it is, edit it to change that" : string.Empty)}.");
            return;
        }

        Replace(path, AnalyticsFile.Create(endpoint, otlp));
        output.WriteLine(endpoint is null
            ? $"Created {path}: {(otlp is null ? "local mode, events stay on this machine" : $"events are exported to {otlp} (OTLP/HTTP) and kept on this machine")} ('periscope stats' reports on them)."
            : $"Created {path}: events go to {endpoint}{(otlp is null ? string.Empty : $" and to {otlp} (OTLP/HTTP)")}. The first OpenCode session opens the browser to sign in, or run 'periscope login' now.");
    }

    // Temp file and rename beside the target, so OpenCode never reads half a file; the mode is kept.
    private static void Replace(string path, string text)
    {
        var temp = path + ".periscope-tmp";
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(temp, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        if (!OperatingSystem.IsWindows() && File.Exists(path))
        {
            File.SetUnixFileMode(temp, File.GetUnixFileMode(path));
        }

        File.Move(temp, path, overwrite: true);
    }
}
