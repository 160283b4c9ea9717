using System.Text.Json.Nodes;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>periscope install and uninstall, read back by the real OpenCode.</summary>
public sealed class InstallTests
{
    private const string Package = "@periscope/opencode-analytics";

    [Fact]
    public async Task OpenCode_ReadsThePluginThatInstallAddedToACommentedJsonc_AndUninstallTookOut()
    {
        using var temp = new TempDirectory();
        await using var model = await FakeModelServer.StartAsync("true");
        var home = temp.Combine("home");
        var opencode = new OpenCode(home, model.BaseUrl, plugin: null, new Dictionary<string, string?> { ["PERISCOPE_HOME"] = temp.Combine("state"), ["PERISCOPE_CONFIG"] = null });
        var config = Path.Combine(home, ".config", "opencode");
        var settings = File.ReadAllText(Path.Combine(config, "opencode.json"));
        File.Delete(Path.Combine(config, "opencode.json"));
        File.WriteAllText(Path.Combine(config, "opencode.jsonc"), "// my OpenCode settings\n" + settings.Insert(1, "\n  /* the model I use */\n"));
        var project = Directory.CreateDirectory(temp.Combine("project")).FullName;

        var install = PeriscopeBinary.RunIn(project, opencode.EnvironmentWithOpenCodeOnPath(), null, "install", "--local");

        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
        Assert.Contains("Found OpenCode 1.18.33 (", install.Stdout, StringComparison.Ordinal);
        Assert.Contains("): it reads \"plugin\": [...].", install.Stdout, StringComparison.Ordinal);
        var resolved = opencode.ResolvedConfig(project);
        Assert.Contains(Package, resolved["plugin"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal($"{OpenCode.Provider}/{OpenCode.Model}", resolved["model"]!.GetValue<string>());
        Assert.StartsWith("// my OpenCode settings\n", File.ReadAllText(Path.Combine(config, "opencode.jsonc")), StringComparison.Ordinal);

        var uninstall = PeriscopeBinary.RunIn(project, opencode.Environment, null, "uninstall");

        Assert.Equal(0, uninstall.ExitCode);
        var after = opencode.ResolvedConfig(project);
        Assert.DoesNotContain(Package, after["plugin"]?.AsArray().Select(p => p!.GetValue<string>()) ?? []);
        Assert.Contains("/* the model I use */", File.ReadAllText(Path.Combine(config, "opencode.jsonc")), StringComparison.Ordinal);
    }

    // The plugin as it was before OpenCode 2: a named export only, which 2.1.2 refuses to load
    // (issue 25 began there). doctor reads the refusal from OpenCode's log and names its cause.
    [Fact]
    public async Task WhenOpenCode2RefusesThePlugin_DoctorSaysSo_WithOpenCodesCause()
    {
        using var temp = new TempDirectory();
        await using var model = await FakeModelServer.StartAsync("true");
        var old = Directory.CreateDirectory(temp.Combine("opencode-analytics")).FullName;
        File.WriteAllText(Path.Combine(old, "package.json"), $$"""{"name": "{{Package}}", "version": "0.0.9", "type": "module", "main": "index.js"}""");
        File.WriteAllText(Path.Combine(old, "index.js"), "export const PeriscopeAnalytics = async () => ({});\n");
        var state = temp.Combine("state");
        var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, old, new Dictionary<string, string?> { ["PERISCOPE_HOME"] = state, ["PERISCOPE_CONFIG"] = null }, OpenCodeMajor.V2);
        var project = Directory.CreateDirectory(temp.Combine("project")).FullName;

        opencode.Run(project, "hello");

        var doctor = PeriscopeBinary.RunIn(project, opencode.EnvironmentWithOpenCodeOnPath(), null, "doctor", "--json");
        Assert.Equal(1, doctor.ExitCode);
        var check = JsonNode.Parse(doctor.Stdout)!["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "opencode")!;
        Assert.Equal("fail", check["status"]!.GetValue<string>());
        var detail = check["detail"]!.GetValue<string>();
        Assert.StartsWith("OpenCode 2.1.2 (", detail, StringComparison.Ordinal);
        Assert.Contains("says it did not load the plugin at ", detail, StringComparison.Ordinal);
        Assert.Contains("Plugin must export a default definition with an id and an effect or setup function", detail, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(state, "spool")) && Directory.EnumerateFiles(Path.Combine(state, "spool"), "*.json").Any(), "the refused plugin captured nothing");
    }
}
