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

        var install = PeriscopeBinary.RunIn(project, opencode.Environment, null, "install", "--local");

        Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);
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
}
