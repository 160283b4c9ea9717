using System.Text.Json;
using Periscope.Tests.Support;

namespace Periscope.Tests.Commands;

/// <summary>
/// periscope install / uninstall as a user runs them: OpenCode's global config under a temp HOME
/// (or the project's), analytics.json beside it, run twice, run on a broken file.
/// </summary>
public sealed class InstallCommandTests : IDisposable
{
    private const string Package = "@periscope/opencode-analytics";
    private readonly UserHome _home = new();

    private string OpenCodeDirectory => _home.OpenCodeDirectory;

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Install_OnAFreshMachine_ListsThePlugin_AndCreatesAnalyticsJsonForTheDefaultEndpoint()
    {
        var result = Run("install");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(OpenCodeDirectory, "opencode.json")));
        Assert.Equal([Package], config.RootElement.GetProperty("plugin").EnumerateArray().Select(e => e.GetString()));
        using var analytics = JsonDocument.Parse(File.ReadAllText(Path.Combine(OpenCodeDirectory, "analytics.json")));
        Assert.Equal("https://ingest.periscope.sh", analytics.RootElement.GetProperty("endpoint").GetString());
        Assert.Contains("Restart OpenCode", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_Twice_ChangesNothingTheSecondTime_AndKeepsTheUsersJsonc()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        var jsonc = Path.Combine(OpenCodeDirectory, "opencode.jsonc");
        File.WriteAllText(jsonc, "{\n  // mine\n  \"model\": \"a/b\",\n  \"plugin\": [\"other\"],\n}\n");

        Assert.Equal(0, Run("install", "--local").ExitCode);
        var once = File.ReadAllText(jsonc);
        var second = Run("install", "--local");

        Assert.Equal("{\n  // mine\n  \"model\": \"a/b\",\n  \"plugin\": [\"other\", \"" + Package + "\"],\n}\n", once);
        Assert.Equal(once, File.ReadAllText(jsonc));
        Assert.Contains("already listed", second.Stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(OpenCodeDirectory, "opencode.json")), "the .jsonc was edited, no second file made");
        Assert.Equal("{}", File.ReadAllText(Path.Combine(OpenCodeDirectory, "analytics.json")).Trim());
    }

    [Fact]
    public void Install_KeepsAnExistingAnalyticsJson()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        var analytics = Path.Combine(OpenCodeDirectory, "analytics.json");
        File.WriteAllText(analytics, "{\"endpoint\": \"https://ingest.example.com\"}");

        var result = Run("install", "--endpoint", "https://other.example.com");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"endpoint\": \"https://ingest.example.com\"}", File.ReadAllText(analytics));
        Assert.Contains("events go to https://ingest.example.com/); left as it is", result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://ingest.example.com", "use https://")]
    [InlineData("https://user:secret@ingest.example.com", "carries credentials")]
    [InlineData("not a url", "not an https:// URL")]
    public void Install_WithABadEndpoint_IsAUsageError_AndWritesNothing(string endpoint, string message)
    {
        var result = Run("install", "--endpoint", endpoint);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(OpenCodeDirectory));
    }

    [Fact]
    public void Install_IntoABrokenConfig_SaysSo_AndLeavesItAlone()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        var file = Path.Combine(OpenCodeDirectory, "opencode.json");
        File.WriteAllText(file, "{\"plugin\": [\"a\"");

        var result = Run("install");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not valid JSON", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("{\"plugin\": [\"a\"", File.ReadAllText(file));
        Assert.False(File.Exists(Path.Combine(OpenCodeDirectory, "analytics.json")));
    }

    [Fact]
    public void Install_WhereOpenCode2sPluginsListNamesIt_LeavesTheFile_AndSays1_18DoesNotReadIt()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        var file = Path.Combine(OpenCodeDirectory, "opencode.json");
        const string Text = "{\"plugins\": [{\"package\": \"" + Package + "\"}]}";
        File.WriteAllText(file, Text);

        var result = Run("install", "--local");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("under \"plugins\": [...], which OpenCode 2 reads and OpenCode 1.18 does not", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(Text, File.ReadAllText(file));
        var doctor = Run("doctor", "--json");
        Assert.Contains("which OpenCode 2 reads and OpenCode 1.18 does not", doctor.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Install_WhereTheOlderPluginsObjectIsUsed_AddsTheArray_AndExplains()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        File.WriteAllText(Path.Combine(OpenCodeDirectory, "opencode.json"), "{\"plugins\": {\"" + Package + "\": {}}}");

        var result = Run("install", "--local");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("OpenCode ignores that key (it reads \"plugin\": [...]; OpenCode 2 also a \"plugins\" list, not an object)", result.Stdout, StringComparison.Ordinal);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(OpenCodeDirectory, "opencode.json")));
        Assert.Equal(Package, config.RootElement.GetProperty("plugin")[0].GetString());
    }

    [Fact]
    public void InstallProject_WritesTheRepositoryRootsConfig_FromASubdirectory()
    {
        var repo = new GitRepo(_home.Combine("repo"));
        var sub = Directory.CreateDirectory(Path.Combine(repo.Path, "src", "deep")).FullName;

        var result = RunIn(sub, "install", "--project", "--local");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(Package, File.ReadAllText(Path.Combine(repo.Path, "opencode.json")), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(OpenCodeDirectory, "opencode.json")));
    }

    [Fact]
    public void Uninstall_TakesOnlyThePluginOut_AndKeepsAnalyticsJson()
    {
        Directory.CreateDirectory(OpenCodeDirectory);
        var file = Path.Combine(OpenCodeDirectory, "opencode.json");
        File.WriteAllText(file, "{\"plugin\": [\"a\", \"" + Package + "@0.1.0\", \"b\"], \"model\": \"x/y\"}");
        Assert.Equal(0, Run("install").ExitCode);

        var result = Run("uninstall");
        var again = Run("uninstall");

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("{\"plugin\": [\"a\", \"b\"], \"model\": \"x/y\"}", File.ReadAllText(file));
        Assert.True(File.Exists(Path.Combine(OpenCodeDirectory, "analytics.json")));
        Assert.Equal(0, again.ExitCode);
        Assert.Contains("is not listed", again.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("install", "--bogus")]
    [InlineData("install", "--local", "--endpoint", "https://a.example.com")]
    [InlineData("install", "--endpoint")]
    [InlineData("uninstall", "--local")]
    public void BadOptions_AreUsageErrors(params string[] args)
        => Assert.Equal(2, Run(args).ExitCode);

    [Fact]
    public void Install_WhereOpenCodeHasHistory_SaysWhatItIs_AndHowToImportIt_WithoutAsking()
    {
        new OpenCodeHistory(_home.OpenCodeDatabase).AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);

        var result = Run("install", "--local");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("1 session (0 sub-agent), 2 assistant messages", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("Run 'periscope import opencode' to bring it in", result.Stdout, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_home.Combine("state", "ledger")));
    }

    [Fact]
    public void InstallWithImport_BringsTheHistoryIn_AndAfterThatInstallOffersNothing()
    {
        new OpenCodeHistory(_home.OpenCodeDatabase).AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);

        var result = Run("install", "--local", "--import");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("Imported 3 events (2 messages, 1 session, 0 commits)", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, File.ReadAllLines(Directory.GetFiles(_home.Combine("state", "ledger"))[0]).Length);

        var again = Run("install", "--local");

        Assert.Equal(0, again.ExitCode);
        Assert.DoesNotContain("assistant message", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("import", again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void InstallWithImport_WithoutOpenCodeHistory_SaysSo_AndSucceeds()
    {
        var result = Run("install", "--local", "--import");

        Assert.True(result.ExitCode == 0, result.Stdout + result.Stderr);
        Assert.Contains("No OpenCode history to import", result.Stdout, StringComparison.Ordinal);
    }

    private ProcessResult Run(params string[] args) => RunIn(_home.Path, args);

    private ProcessResult RunIn(string directory, params string[] args)
        => PeriscopeBinary.RunIn(directory, _home.Environment(), null, args);

}
