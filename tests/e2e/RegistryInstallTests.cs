using System.Diagnostics;
using System.Text.Json.Nodes;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// The install path users take: the npm packages ./build.sh release made (artifacts/release/npm),
/// published to a real registry on loopback, and OpenCode installing the plugin itself from
/// <c>"plugin": ["@periscope/opencode-analytics"]</c>, its platform package's binary included.
/// No PERISCOPE_BIN: the plugin finds the binary OpenCode's installer put beside it. A session
/// with a commit and one with a sub-agent run in each OpenCode, and what the ingest receives is
/// compared with OpenCode's own database.
/// </summary>
public sealed class RegistryInstallTests
{
    private const string Package = "@periscope/opencode-analytics";
    private const string Token = "e2e-registry-token";
    private const string Credential = "CRED_CANARY_R_31";
    private const string PromptCanary = "PROMPT_CANARY_R_77";
    private const string FileCanary = "FILE_CANARY_R_42";
    private const string ShellCanary = "SHELL_CANARY_R_55";

    [Theory]
    [InlineData("1.18.33")]
    [InlineData("2.1.2")]
    public async Task OpenCode_InstallsThePluginFromTheRegistry_AndItDeliversASessionWithACommit_AndOneWithASubagent(string version)
    {
        var major = version.StartsWith("2.", StringComparison.Ordinal) ? OpenCodeMajor.V2 : OpenCodeMajor.V1;
        using var temp = new TempDirectory();
        await using var registry = await LocalRegistry.StartAsync(temp.Combine("registry"));
        foreach (var tarball in Tarballs())
        {
            registry.Publish(tarball);
        }

        await using var ingest = await IngestServer.StartAsync();
        ingest.RequiredToken = Token;
        // Appended, so each run's commit has a change to commit.
        await using var model = await FakeModelServer.StartAsync($"echo {ShellCanary} >> notes.txt && git add -A && git commit -qm e2e-commit");
        var repo = new GitRepo(temp.Combine("widgets"));
        repo.Commit("initial");
        repo.Git($"remote add origin https://e2e-user:{Credential}@github.com/acme/widgets.git");
        File.WriteAllText(Path.Combine(repo.Path, "secret.txt"), FileCanary);
        var analytics = temp.Combine("analytics.json");
        File.WriteAllText(analytics, $$"""{"endpoint": "{{ingest.Endpoint}}"}""");
        var periscope = new Dictionary<string, string?>
        {
            ["PERISCOPE_HOME"] = temp.Combine("state"),
            ["PERISCOPE_CONFIG"] = analytics,
            ["PERISCOPE_TOKEN"] = Token,
            ["PERISCOPE_WORKER_IDLE_SECONDS"] = "2",
            ["npm_config_registry"] = registry.Url.AbsoluteUri,
        };
        var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, Package, periscope, major);
        var database = new History(opencode);

        opencode.Run(repo.Path, $"Please commit the work. {PromptCanary}");
        var firstCommit = repo.Head;
        var first = Assert.Single(database.Sessions());
        Assert.Null(first.Parent);
        model.Subagent = true;
        opencode.Run(repo.Path, "Please have a sub-agent commit the work.");
        var secondCommit = repo.Head;
        Assert.NotEqual(firstCommit, secondCommit);

        // OpenCode's installer put the plugin and this platform's binary in its own cache.
        var installed = Directory.GetFiles(Path.Combine(opencode.Home, ".cache", "opencode"), OperatingSystem.IsWindows() ? "periscope.exe" : "periscope", SearchOption.AllDirectories);
        Assert.Contains(installed, f => f.Contains($"{Path.DirectorySeparatorChar}opencode-analytics-{PlatformName()}{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

        var flush = PeriscopeBinary.Run(new Dictionary<string, string?>(periscope) { ["npm_config_registry"] = null }, null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        var events = ingest.Stored.Values.Select(e => JsonNode.Parse(e.Json)!).ToList();

        // Every finished step, with OpenCode's model, provider, tokens and cost.
        var steps = database.Steps();
        Assert.Equal(6, steps.Count); // the commit session: shell call, answer; then parent: subagent call, answer; child: shell call, answer
        var messages = events.Where(e => Kind(e) == "assistant_message").ToList();
        Assert.Equal(steps.Count, messages.Count);
        foreach (var (id, session, data) in steps)
        {
            var sent = Assert.Single(messages, m => Text(m, "message_id") == id);
            Assert.Equal(session, Text(sent, "session_id"));
            Assert.Equal(OpenCode.Model, Text(sent, "model_id"));
            Assert.Equal(OpenCode.Provider, Text(sent, "provider_id"));
            var tokens = data["tokens"]!;
            Assert.Equal(tokens["input"]!.GetValue<long>(), sent["tokens"]!["input"]!.GetValue<long>());
            Assert.Equal(tokens["output"]!.GetValue<long>(), sent["tokens"]!["output"]!.GetValue<long>());
            Assert.Equal(tokens["reasoning"]!.GetValue<long>(), sent["tokens"]!["reasoning"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["read"]!.GetValue<long>(), sent["tokens"]!["cache_read"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["write"]!.GetValue<long>(), sent["tokens"]!["cache_write"]!.GetValue<long>());
            Assert.Equal(data["cost"]!.GetValue<decimal>(), sent["cost_usd"]!.GetValue<decimal>());
            Assert.True(sent["cost_usd"]!.GetValue<decimal>() > 0, "the fake model is priced in the config");
        }

        // The titles and the sub-agent flag.
        var sessions = database.Sessions();
        Assert.Equal(3, sessions.Count);
        var child = Assert.Single(sessions, s => s.Parent is not null);
        var parent = Assert.Single(sessions, s => s.Id == child.Parent);
        Assert.NotEqual(first.Id, parent.Id);
        foreach (var top in new[] { first.Id, parent.Id })
        {
            Assert.Contains(events, e => Kind(e) == "session" && Text(e, "session_id") == top && Text(e, "title") == FakeModelServer.Title && !e["is_subagent"]!.GetValue<bool>());
        }

        var childEvents = events.Where(e => Kind(e) == "session" && Text(e, "session_id") == child.Id).ToList();
        Assert.NotEmpty(childEvents);
        Assert.All(childEvents, e => Assert.True(e["is_subagent"]!.GetValue<bool>()));
        Assert.All(childEvents, e => Assert.Equal(parent.Id, Text(e, "parent_session_id")));

        // Each commit, in the session whose shell call made it.
        var commits = events.Where(e => Kind(e) == "commit").ToList();
        Assert.Equal(2, commits.Count);
        var made = Assert.Single(commits, c => Text(c, "sha") == firstCommit);
        Assert.Equal(first.Id, Text(made, "session_id"));
        Assert.Equal("tool", Text(made, "attribution"));
        var bySubagent = Assert.Single(commits, c => Text(c, "sha") == secondCommit);
        Assert.Equal(child.Id, Text(bySubagent, "session_id"));
        Assert.Equal("tool", Text(bySubagent, "attribution"));
        Assert.All(events.Where(e => Kind(e) != "session_usage"), e => Assert.Equal("https://github.com/acme/widgets.git", e["git"]?["repo_url"]?.GetValue<string>()));

        if (major == OpenCodeMajor.V2)
        {
            SessionCosts.AssertStatsMatch(opencode.Database, periscope);
        }

        // doctor, as the user runs it after these sessions: the binary OpenCode's installer put in
        // its cache, which OpenCode, and the evidence that it loaded the plugin: 2.x logs the load,
        // 1.18 logs nothing at its default level, so there it is the event the hook wrote.
        var doctor = PeriscopeBinary.RunIn(repo.Path, new Dictionary<string, string?>(opencode.EnvironmentWithOpenCodeOnPath()) { ["npm_config_registry"] = null }, null, "doctor", "--json");
        var checks = JsonNode.Parse(doctor.Stdout)!["checks"]!.AsArray().ToDictionary(c => Text(c!, "name")!, c => c!);
        Assert.True(Text(checks["binary"], "status") == "pass", doctor.Stdout);
        Assert.Contains("(via @periscope/opencode-analytics-", Text(checks["binary"], "detail"), StringComparison.Ordinal);
        Assert.True(Text(checks["opencode"], "status") == "pass", doctor.Stdout);
        Assert.StartsWith($"OpenCode {version} (", Text(checks["opencode"], "detail"), StringComparison.Ordinal);
        Assert.Contains(major == OpenCodeMajor.V2 ? "; OpenCode loaded the plugin at " : "; the plugin's hook last wrote an event at ", Text(checks["opencode"], "detail"), StringComparison.Ordinal);

        // No credential, prompt, file content, command or API key in what Periscope wrote or sent.
        var written = StateDirectory.Written(periscope["PERISCOPE_HOME"]!)
            .Append((Where: "what the ingest received", Text: string.Join('\n', ingest.Received.Select(e => e.Json))))
            .ToList();
        Assert.Contains(written, w => w.Where.StartsWith("ledger", StringComparison.Ordinal));
        foreach (var secret in new[] { Credential, "e2e-user", PromptCanary, FileCanary, ShellCanary, "e2e-commit", "SUBAGENT:", OpenCode.ApiKey, Token })
        {
            foreach (var (where, text) in written)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{secret} found in {where}");
            }
        }
    }

    private static string? Kind(JsonNode e) => Text(e, "kind");

    private static string? Text(JsonNode e, string name) => e[name]?.GetValue<string>();

    /// <summary>npm's name for this platform, as the platform packages are named.</summary>
    private static string PlatformName()
        => $"{(OperatingSystem.IsWindows() ? "windows" : OperatingSystem.IsMacOS() ? "darwin" : "linux")}-{(System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.Arm64 ? "arm64" : "x64")}";

    /// <summary>
    /// The plugin's tarball and this platform's, from artifacts/release/npm; fails when they are
    /// missing or the plugin's code in them is not src/opencode-plugin's (an older release).
    /// </summary>
    private static string[] Tarballs()
    {
        var npm = Path.Combine(PeriscopeBinary.RepoRoot, "artifacts", "release", "npm");
        var plugin = Directory.Exists(npm) ? Directory.GetFiles(npm, "periscope-opencode-analytics-*.tgz").SingleOrDefault(f => char.IsAsciiDigit(Path.GetFileName(f)["periscope-opencode-analytics-".Length])) : null;
        Assert.True(plugin is not null, $"no plugin package in {npm}: run ./build.sh test, or ./build.sh release first");
        var version = Path.GetFileNameWithoutExtension(plugin)["periscope-opencode-analytics-".Length..];
        var platform = Path.Combine(npm, $"periscope-opencode-analytics-{PlatformName()}-{version}.tgz");
        Assert.True(File.Exists(platform), $"no {Path.GetFileName(platform)} in {npm}: run ./build.sh release");

        using var unpacked = new TempDirectory();
        var tar = Process.Start(new ProcessStartInfo("tar", ["-xzf", plugin, "-C", unpacked.Path]) { UseShellExecute = false })!;
        tar.WaitForExit();
        Assert.Equal(0, tar.ExitCode);
        var source = Path.Combine(PeriscopeBinary.RepoRoot, "src", "opencode-plugin");
        foreach (var file in Directory.GetFiles(Path.Combine(source, "lib"), "*.js").Prepend(Path.Combine(source, "index.js")))
        {
            var packed = Path.Combine(unpacked.Path, "package", Path.GetRelativePath(source, file));
            Assert.True(File.Exists(packed) && File.ReadAllText(packed) == File.ReadAllText(file), $"{Path.GetFileName(plugin)} holds another {Path.GetRelativePath(source, file)} than src/opencode-plugin: run ./build.sh release");
        }

        return [platform, plugin];
    }

    /// <summary>OpenCode's own record, from its database: 1.18's session and message tables, or 2.x's session_v2 and session_message.</summary>
    private sealed class History(OpenCode opencode)
    {
        public List<(string Id, string? Parent)> Sessions()
            => [.. TestSqlite.Query(opencode.Database, opencode.Major == OpenCodeMajor.V2 ? "SELECT id, parent_id FROM session_v2" : "SELECT id, parent_id FROM session").Select(r => (r[0]!, r[1]))];

        /// <summary>The finished assistant messages (1.18) or steps (2.x): id, session and data.</summary>
        public List<(string Id, string Session, JsonNode Data)> Steps()
            => opencode.Major == OpenCodeMajor.V2
                ? [.. TestSqlite.Query(opencode.Database, "SELECT id, session_id, data FROM session_message WHERE type = 'assistant'").Select(r => (r[0]!, r[1]!, JsonNode.Parse(r[2]!)!))]
                : [.. TestSqlite.Query(opencode.Database, "SELECT id, session_id, data FROM message").Select(r => (r[0]!, r[1]!, JsonNode.Parse(r[2]!)!))
                    .Where(m => m.Item3["role"]?.GetValue<string>() == "assistant" && m.Item3["time"]?["completed"] is not null)];
    }
}
