using System.Text.Json.Nodes;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// The real OpenCode 2 (@opencode/cli 2.1.2) loading the plugin from src/opencode-plugin, which
/// starts the published periscope for each ended step, session change and shell call; its worker
/// delivers to the test ingest. What arrives is compared with OpenCode's own database
/// (<c>session_v2</c>, <c>session_message</c>).
/// </summary>
public sealed class OpenCode2RunTests
{
    private const string Token = "e2e2-static-token";
    private const string Credential = "CRED_CANARY_2_31";
    private const string PromptCanary = "PROMPT_CANARY_2_77";
    private const string FileCanary = "FILE_CANARY_2_42";
    private const string ShellCanary = "SHELL_CANARY_2_55";

    [Fact]
    public async Task OpenCode2Run_DeliversEveryStep_TheSessionAndTheCommitOfItsShellCall_AndNoContent()
    {
        await using var run = await Run.StartAsync(subagent: false);

        var events = run.Deliver();
        var steps = run.Steps();
        Assert.Equal(2, steps.Count);
        AssertEveryStepDelivered(steps, events);

        var sessionId = Assert.Single(run.Sessions()).Id;
        var session = Assert.Single(events, e => Kind(e) == "session" && e["title"]?.GetValue<string>() == FakeModelServer.Title);
        Assert.Equal(sessionId, session["session_id"]!.GetValue<string>());
        Assert.False(session["is_subagent"]!.GetValue<bool>());
        Assert.All(events.Where(e => Kind(e) == "session"), s => Assert.False(s["is_subagent"]!.GetValue<bool>()));

        var commit = Assert.Single(events, e => Kind(e) == "commit");
        Assert.Equal(run.Repo.Head, commit["sha"]!.GetValue<string>());
        Assert.NotEqual(run.Before, run.Repo.Head);
        Assert.Equal(sessionId, commit["session_id"]!.GetValue<string>());
        Assert.Equal("tool", commit["attribution"]!.GetValue<string>());
        run.AssertStatsMatchSessions();

        run.AssertNoContent();
    }

    [Fact]
    public async Task OpenCode2Run_WithASubagent_MarksTheChildSession_WithItsParent_AndAttributesTheCommitToIt()
    {
        await using var run = await Run.StartAsync(subagent: true);

        var events = run.Deliver();
        var steps = run.Steps();
        Assert.Equal(4, steps.Count); // parent: subagent call, answer; child: shell call, answer
        AssertEveryStepDelivered(steps, events);

        var recorded = run.Sessions();
        var child = Assert.Single(recorded, s => s.Parent is not null);
        var parent = Assert.Single(recorded, s => s.Parent is null);
        Assert.Equal(parent.Id, child.Parent);
        var childEvents = events.Where(e => Kind(e) == "session" && e["session_id"]!.GetValue<string>() == child.Id).ToList();
        Assert.NotEmpty(childEvents);
        Assert.All(childEvents, e => Assert.True(e["is_subagent"]!.GetValue<bool>()));
        Assert.All(childEvents, e => Assert.Equal(parent.Id, e["parent_session_id"]!.GetValue<string>()));
        Assert.Contains(events, e => Kind(e) == "session" && e["session_id"]!.GetValue<string>() == parent.Id && !e["is_subagent"]!.GetValue<bool>());

        var commit = Assert.Single(events, e => Kind(e) == "commit");
        Assert.Equal(run.Repo.Head, commit["sha"]!.GetValue<string>());
        Assert.Equal(child.Id, commit["session_id"]!.GetValue<string>());
        run.AssertStatsMatchSessions();

        run.AssertNoContent();
    }

    [Fact]
    public async Task TwoSessionsInTwoRepositories_AtOnce_ThroughOneSharedService_EachCarryTheirOwnRepository()
    {
        using var temp = new TempDirectory();
        await using var ingest = await IngestServer.StartAsync();
        await using var model = await FakeModelServer.StartAsync("git commit -q --allow-empty -m e2e-shared");
        model.Delay = TimeSpan.FromMilliseconds(300); // the two sessions overlap
        var repos = new[] { "alpha", "beta" }.Select(name =>
        {
            var repo = new GitRepo(temp.Combine(name));
            repo.Commit("initial");
            repo.Git($"remote add origin https://github.com/acme/{name}.git");
            return repo;
        }).ToList();
        var periscope = Run.Settings(temp, ingest);
        var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, Run.Plugin, periscope, OpenCodeMajor.V2);
        try
        {
            opencode.StartService();
            var runs = repos.Select(repo => Task.Run(() => opencode.Run(repo.Path, "Please commit.", shared: true))).ToArray();
            await Task.WhenAll(runs);
        }
        finally
        {
            opencode.StopService();
        }

        var flush = PeriscopeBinary.Run(periscope, null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        var events = ingest.Stored.Values.Select(e => JsonNode.Parse(e.Json)!).ToList();
        var steps = TestSqlite.Query(opencode.Database, "SELECT m.id, s.directory FROM session_message m JOIN session_v2 s ON s.id = m.session_id WHERE m.type = 'assistant'");
        Assert.Equal(4, steps.Count);
        foreach (var step in steps)
        {
            var sent = Assert.Single(events, e => Kind(e) == "assistant_message" && e["message_id"]!.GetValue<string>() == step[0]);
            Assert.Equal($"https://github.com/acme/{Path.GetFileName(step[1])}.git", sent["git"]!["repo_url"]!.GetValue<string>());
        }

        var commits = events.Where(e => Kind(e) == "commit").ToList();
        Assert.Equal(2, commits.Count);
        foreach (var repo in repos)
        {
            Assert.Single(commits, c => c["sha"]!.GetValue<string>() == repo.Head && c["git"]!["repo_url"]!.GetValue<string>() == $"https://github.com/acme/{Path.GetFileName(repo.Path)}.git");
        }
    }

    // Each of OpenCode's assistant messages is one assistant_message with its model, tokens and cost.
    private static void AssertEveryStepDelivered(List<JsonNode> steps, List<JsonNode> events)
    {
        var messages = events.Where(e => Kind(e) == "assistant_message").ToList();
        Assert.Equal(steps.Count, messages.Count);
        foreach (var step in steps)
        {
            var data = step["data"]!;
            var sent = Assert.Single(messages, m => m["message_id"]!.GetValue<string>() == step["id"]!.GetValue<string>());
            Assert.Equal(step["session_id"]!.GetValue<string>(), sent["session_id"]!.GetValue<string>());
            Assert.Equal(OpenCode.Model, sent["model_id"]!.GetValue<string>());
            Assert.Equal(OpenCode.Provider, sent["provider_id"]!.GetValue<string>());
            var tokens = data["tokens"]!;
            Assert.Equal(tokens["input"]!.GetValue<long>(), sent["tokens"]!["input"]!.GetValue<long>());
            Assert.Equal(tokens["output"]!.GetValue<long>(), sent["tokens"]!["output"]!.GetValue<long>());
            Assert.Equal(tokens["reasoning"]!.GetValue<long>(), sent["tokens"]!["reasoning"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["read"]!.GetValue<long>(), sent["tokens"]!["cache_read"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["write"]!.GetValue<long>(), sent["tokens"]!["cache_write"]!.GetValue<long>());
            Assert.Equal(data["cost"]!.GetValue<decimal>(), sent["cost_usd"]!.GetValue<decimal>());
            Assert.Equal(data["finish"]?.GetValue<string>(), sent["finish_reason"]?.GetValue<string>());
            Assert.Equal("https://github.com/acme/widgets.git", sent["git"]!["repo_url"]!.GetValue<string>());
        }

        // The scripted usage of the first step (input excludes cached), priced by OpenCode.
        var first = messages.Single(m => m["tokens"]!["cache_read"]!.GetValue<long>() == 800);
        Assert.Equal(400, first["tokens"]!["input"]!.GetValue<long>());
        Assert.Equal(50, first["tokens"]!["output"]!.GetValue<long>());
    }

    private static string? Kind(JsonNode e) => e["kind"]?.GetValue<string>();

    /// <summary>One scripted OpenCode 2 session in a git repository with canaries everywhere.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly TempDirectory _temp;
        private readonly IngestServer _ingest;
        private readonly FakeModelServer _model;
        private readonly Dictionary<string, string?> _periscope;
        private readonly OpenCode _opencode;

        private Run(TempDirectory temp, IngestServer ingest, FakeModelServer model, GitRepo repo, string before, Dictionary<string, string?> periscope, OpenCode opencode)
        {
            _temp = temp;
            _ingest = ingest;
            _model = model;
            Repo = repo;
            Before = before;
            _periscope = periscope;
            _opencode = opencode;
        }

        public static string Plugin { get; } = Path.Combine(PeriscopeBinary.RepoRoot, "src", "opencode-plugin");

        public GitRepo Repo { get; }

        public string Before { get; }

        public static Dictionary<string, string?> Settings(TempDirectory temp, IngestServer ingest)
        {
            ingest.RequiredToken = Token;
            var analytics = temp.Combine("analytics.json");
            File.WriteAllText(analytics, $$"""{"endpoint": "{{ingest.Endpoint}}"}""");
            return new Dictionary<string, string?>
            {
                ["PERISCOPE_BIN"] = PeriscopeBinary.Path,
                ["PERISCOPE_HOME"] = temp.Combine("state"),
                ["PERISCOPE_CONFIG"] = analytics,
                ["PERISCOPE_TOKEN"] = Token,
                ["PERISCOPE_WORKER_IDLE_SECONDS"] = "2",
            };
        }

        public static async Task<Run> StartAsync(bool subagent)
        {
            var temp = new TempDirectory();
            var ingest = await IngestServer.StartAsync();
            var model = await FakeModelServer.StartAsync($"echo {ShellCanary} > notes.txt && git add -A && git commit -qm e2e-commit");
            model.Subagent = subagent;
            var repo = new GitRepo(temp.Combine("widgets"));
            repo.Commit("initial");
            repo.Git($"remote add origin https://e2e-user:{Credential}@github.com/acme/widgets.git");
            File.WriteAllText(Path.Combine(repo.Path, "secret.txt"), FileCanary);
            var before = repo.Head;
            var periscope = Settings(temp, ingest);
            var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, Plugin, periscope, OpenCodeMajor.V2);

            opencode.Run(repo.Path, $"Please commit the work. {PromptCanary}");

            Assert.Contains(model.Requests, r => r.Contains(PromptCanary, StringComparison.Ordinal));
            return new Run(temp, ingest, model, repo, before, periscope, opencode);
        }

        /// <summary>Flushes (waiting for the worker) and returns what the ingest stored.</summary>
        public List<JsonNode> Deliver()
        {
            var flush = PeriscopeBinary.Run(_periscope, null, "flush");
            Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
            Assert.All(_ingest.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
            return [.. _ingest.Stored.Values.Select(e => JsonNode.Parse(e.Json)!)];
        }

        /// <summary>OpenCode's own assistant messages: id, session_id and the row's data.</summary>
        public List<JsonNode> Steps()
            => [.. TestSqlite.Query(_opencode.Database, "SELECT id, session_id, data FROM session_message WHERE type = 'assistant'")
                .Select(r => (JsonNode)new JsonObject { ["id"] = r[0], ["session_id"] = r[1], ["data"] = JsonNode.Parse(r[2]!) })];

        /// <summary>OpenCode's own sessions.</summary>
        public List<(string Id, string? Parent)> Sessions()
            => [.. TestSqlite.Query(_opencode.Database, "SELECT id, parent_id FROM session_v2").Select(r => (r[0]!, r[1]))];

        /// <summary>Each session's cost and tokens in <c>stats --by session</c> are OpenCode's own (<c>session_v2</c>).</summary>
        public void AssertStatsMatchSessions() => SessionCosts.AssertStatsMatch(_opencode.Database, _periscope);

        /// <summary>No credential, prompt, file content, command or API key in anything Periscope wrote or sent.</summary>
        public void AssertNoContent()
        {
            var written = StateDirectory.Written(_periscope["PERISCOPE_HOME"]!)
                .Append((Where: "what the ingest received", Text: string.Join('\n', _ingest.Received.Select(e => e.Json))))
                .ToList();
            Assert.Contains(written, w => w.Where.StartsWith("ledger", StringComparison.Ordinal));
            Assert.NotEmpty(_ingest.Received);
            foreach (var secret in new[] { Credential, "e2e-user", PromptCanary, FileCanary, ShellCanary, "e2e-commit", "SUBAGENT:", OpenCode.ApiKey, Token })
            {
                foreach (var (where, text) in written)
                {
                    Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{secret} found in {where}");
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _model.DisposeAsync();
            await _ingest.DisposeAsync();
            _temp.Dispose();
        }
    }
}
