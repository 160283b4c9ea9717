using System.Text.Json;
using System.Text;
using Periscope.Config;
using Periscope.Git;
using Periscope.Platform;
using Periscope.Setup;

namespace Periscope.Doctor;

/// <summary>
/// The setup checks: is the plugin listed, can it find the executable, which OpenCode is installed
/// and did it load the plugin, is analytics.json right,
/// which git context events from here carry, is the spool writable. <see cref="DeliveryChecks"/>
/// adds the network, sign-in and queue checks.
/// </summary>
internal static class SetupChecks
{
    public static List<DoctorCheck> Run(Func<string, string?> getVariable, string currentDirectory)
    {
        var configFiles = OpenCodeConfigFiles.Existing(currentDirectory, getVariable);
        return
        [
            Plugin(configFiles, getVariable),
            Binary(configFiles, getVariable),
            OpenCode(getVariable),
            Config(getVariable),
            Git(currentDirectory, getVariable),
            Spool(getVariable),
        ];
    }

    private static DoctorCheck Plugin(List<string> configFiles, Func<string, string?> getVariable)
    {
        const string Name = "plugin";
        var listedIn = new List<string>();
        var listedFor2 = new List<string>();
        var oldForm = new List<string>();
        foreach (var file in configFiles)
        {
            try
            {
                var list = PluginList.Parse(File.ReadAllText(file));
                if (list.Listed)
                {
                    listedIn.Add(file);
                }
                else if (list.ListedForOpenCode2Only)
                {
                    listedFor2.Add(file);
                }
                else if (list.ListedInOldForm)
                {
                    oldForm.Add(file);
                }
            }
            catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
            {
                return new DoctorCheck(Name, CheckStatus.Fail, $"{file} cannot be read as JSON: {ex.Message}", $"Fix {file}; OpenCode cannot load it either.");
            }
        }

        if (listedIn.Count > 0)
        {
            return DoctorCheck.Pass(Name, $"{PluginList.PackageName} is listed in {string.Join(", ", listedIn)}");
        }

        if (listedFor2.Count > 0)
        {
            return new DoctorCheck(Name, CheckStatus.Warn, $"{string.Join(", ", listedFor2)} lists it under \"plugins\": [...], which OpenCode 2 reads and OpenCode 1.18 does not", "Fine for OpenCode 2 alone; for 1.18 too, move the entry to \"plugin\": [...], which both read.");
        }

        var global = OpenCodeConfigFiles.EditableIn(PeriscopeSettings.OpenCodeDirectory(getVariable));
        return oldForm.Count > 0
            ? new DoctorCheck(Name, CheckStatus.Fail, $"{string.Join(", ", oldForm)} names it under \"plugins\": {{...}}, the form older Periscope docs show; OpenCode loads nothing from it (it reads \"plugin\": [...], and OpenCode 2 also a \"plugins\" list, not an object)", "Run 'periscope install' (it adds the \"plugin\" entry), then delete the \"plugins\" entry.")
            : new DoctorCheck(Name, CheckStatus.Fail, $"{PluginList.PackageName} is not listed in any OpenCode config ({(configFiles.Count == 0 ? "none exists; the global one would be " + global : string.Join(", ", configFiles))})", "Run 'periscope install' (or 'periscope install --project' for this project only).");
    }

    private static DoctorCheck Binary(List<string> configFiles, Func<string, string?> getVariable)
    {
        const string Name = "binary";
        var (path, how) = ShimBinaryLookup.Find(getVariable, ShimBinaryLookup.ConfigDirectories(getVariable, configFiles));
        if (path is null)
        {
            return new DoctorCheck(Name, CheckStatus.Fail, $"the plugin would not find the periscope executable; it looks at {how}", "Install the plugin with npm (it brings the executable for this platform), put periscope on PATH, or set PERISCOPE_BIN for OpenCode.");
        }

        return DoctorCheck.Pass(Name, $"the plugin finds {path} (via {how})");
    }

    // Which OpenCode is installed, and whether it loaded the plugin when it last ran.
    private static DoctorCheck OpenCode(Func<string, string?> getVariable)
    {
        const string Name = "opencode";
        var installs = OpenCodeInstalls.Find(getVariable);
        var found = installs.Count == 0 ? "no opencode on PATH" : string.Join(", ", installs);
        if (installs.Find(i => i.Unsupported is not null) is { } odd)
        {
            return new DoctorCheck(Name, CheckStatus.Warn, $"{found}: {odd.Path}: {odd.Unsupported}", "Periscope works with OpenCode 1.18 and 2.x; install one of them (npm: opencode-ai@1.18 or @opencode/cli@2).");
        }

        var log = PluginLoadEvidence.FromOpenCodeLog(getVariable);
        if (log is { Failed: true })
        {
            return new DoctorCheck(Name, CheckStatus.Fail, $"{found}; OpenCode's log ({log.File}) says it did not load the plugin at {log.When}: {log.Cause}", "Update the plugin to the current @periscope/opencode-analytics (OpenCode 2 loads only its default export {id, setup}): delete OpenCode's copy under ~/.cache/opencode (packages/@periscope or npm/@periscope) so OpenCode installs it again, then restart OpenCode.");
        }

        if (log is not null)
        {
            return DoctorCheck.Pass(Name, $"{found}; OpenCode loaded the plugin at {log.When} (its log, {log.File})");
        }

        if (PluginLoadEvidence.LastCapture(StatePaths.Resolve(getVariable)) is { } captured)
        {
            return DoctorCheck.Pass(Name, $"{found}; the plugin's hook last wrote an event at {captured:yyyy-MM-dd HH:mm:ss}Z");
        }

        return installs.Count == 0
            ? new DoctorCheck(Name, CheckStatus.Warn, $"{found}, and nothing shows that OpenCode ever loaded the plugin", "Install OpenCode (npm: @opencode/cli or opencode-ai), or put it on PATH, then run a session.")
            : new DoctorCheck(Name, CheckStatus.Warn, $"{found}; nothing shows yet that it loaded the plugin (its log names none, and no event was captured)", "Restart OpenCode and run one session, then run 'periscope doctor' again.");
    }

    private static DoctorCheck Config(Func<string, string?> getVariable)
    {
        const string Name = "config";
        var settings = PeriscopeSettings.Load(getVariable);
        return settings.Target switch
        {
            DeliveryTarget.Misconfigured bad => new DoctorCheck(Name, CheckStatus.Fail, bad.Problem, $"Fix {settings.ConfigPath}, or run 'periscope install --endpoint URL' after removing it."),
            DeliveryTarget.Remote remote => DoctorCheck.Pass(Name, $"{settings.ConfigPath}: events go to {remote.Endpoint}"),
            _ when !File.Exists(settings.ConfigPath) => new DoctorCheck(Name, CheckStatus.Warn, $"{settings.ConfigPath} does not exist: local mode, events stay on this machine", "Run 'periscope install' to deliver to Periscope, or 'periscope install --local' to say local mode on purpose."),
            _ => DoctorCheck.Pass(Name, $"{settings.ConfigPath}: local mode (no endpoint), events stay on this machine"),
        };
    }

    private static DoctorCheck Git(string currentDirectory, Func<string, string?> getVariable)
    {
        const string Name = "git";
        var repository = RepositoryLocator.Find(currentDirectory, getVariable);
        if (repository is null)
        {
            return new DoctorCheck(Name, CheckStatus.Warn, $"{currentDirectory} is not in a git repository: events from sessions here carry no repository, branch or commits", "Run OpenCode inside a git repository to attribute its work.");
        }

        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            GitContextReader.Read(repository).WriteTo(writer);
        }

        return DoctorCheck.Pass(Name, $"in {repository.WorkingDirectory ?? repository.GitDirectory}; events carry \"git\": {Encoding.UTF8.GetString(stream.ToArray())}");
    }

    private static DoctorCheck Spool(Func<string, string?> getVariable)
    {
        const string Name = "spool";
        var paths = StatePaths.Resolve(getVariable);
        if (StateDirectoryTrust.Check(paths, subdirectories: true) is { } untrusted)
        {
            return new DoctorCheck(Name, CheckStatus.Fail, untrusted.Problem, untrusted.Fix);
        }

        var probe = Path.Combine(paths.SpoolTemp, $"doctor-{Environment.ProcessId}.tmp");
        try
        {
            PrivateFiles.CreateDirectory(paths.SpoolTemp);
            File.WriteAllText(probe, "probe");
            File.Delete(probe);
            return DoctorCheck.Pass(Name, $"{paths.Spool} is writable");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new DoctorCheck(Name, CheckStatus.Fail, $"cannot write to {paths.Spool}: {FileProblem.Describe(ex)}", $"Make {paths.Root} writable by you, or set {StatePaths.HomeVariable} to a directory that is.");
        }
    }
}
