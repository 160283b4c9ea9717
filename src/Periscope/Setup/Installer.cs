using System.Text.Json;
using Periscope.Config;
using Periscope.Platform;

namespace Periscope.Setup;

/// <summary>
/// What install and uninstall change: the plugin listed in (or taken out of) an OpenCode config
/// file, keeping everything else in it, comments included; analytics.json created, or given an
/// OTLP receiver. Each step says on <c>output</c> what it did, and can be run any number of times.
/// </summary>
internal static class Installer
{
    // False when the file cannot be edited (it says why); true otherwise, changed or not.
    public static bool AddPlugin(string file, TextWriter output)
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
        else if (list.ListedForOpenCode2Only)
        {
            // Listed in both keys, OpenCode 2 would load it twice: the user's entry stays as it is.
            output.WriteLine($"{PluginList.PackageName} is already listed in {file} under \"plugins\": [...], which OpenCode 2 reads and OpenCode 1.18 does not; to use it with 1.18 too, move it to \"plugin\": [...], which both read.");
        }
        else
        {
            AtomicFiles.ReplaceText(file, list.WithPeriscope());
            output.WriteLine($"Added {PluginList.PackageName} to \"plugin\" in {file}.");
        }

        if (list.ListedInOldForm)
        {
            output.WriteLine($"{file} also names it under \"plugins\": {{...}}, the form older Periscope docs show. OpenCode ignores that key (it reads \"plugin\": [...]; OpenCode 2 also a \"plugins\" list, not an object); you can delete it.");
        }

        return true;
    }

    /// <summary>Says which OpenCode is installed (every opencode on PATH) and whether it reads what install wrote.</summary>
    public static void DescribeOpenCode(IReadOnlyList<OpenCodeInstall> installs, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(installs);
        ArgumentNullException.ThrowIfNull(output);
        if (installs.Count == 0)
        {
            output.WriteLine("No opencode on PATH: the plugin is listed for when OpenCode is installed (Periscope works with OpenCode 1.18 and 2.x).");
            return;
        }

        foreach (var install in installs)
        {
            output.WriteLine(install.Unsupported is { } why
                ? $"Found {install}: {why}. Periscope works with OpenCode 1.18 and 2.x."
                : $"Found {install}: it reads \"plugin\": [...].");
        }
    }

    public static bool RemovePlugin(string file, TextWriter output)
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
            AtomicFiles.ReplaceText(file, list.WithoutPeriscope());
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

    public static void WriteAnalytics(string path, string? endpoint, string? otlp, bool asked, TextWriter output)
    {
        if (File.Exists(path) && otlp is not null)
        {
            var added = AnalyticsFile.AddOtlp(File.ReadAllText(path), otlp);
            if (added is not null)
            {
                AtomicFiles.ReplaceText(path, added);
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

        AtomicFiles.ReplaceText(path, AnalyticsFile.Create(endpoint, otlp));
        output.WriteLine(endpoint is null
            ? $"Created {path}: {(otlp is null ? "local mode, events stay on this machine" : $"events are exported to {otlp} (OTLP/HTTP) and kept on this machine")} ('periscope stats' reports on them)."
            : $"Created {path}: events go to {endpoint}{(otlp is null ? string.Empty : $" and to {otlp} (OTLP/HTTP)")}. The first OpenCode session opens the browser to sign in, or run 'periscope login' now.");
    }
}
