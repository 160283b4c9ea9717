using System.Text.Json.Nodes;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// One real session: OpenCode runs a prompt in a git repository, the scripted model has bash make
/// a commit and then answers, the plugin from src/opencode-plugin starts the published periscope
/// for each hook call, and its worker delivers to the test ingest and exports to an OTLP receiver
/// (the Aspire Dashboard). What arrives is compared with OpenCode's own record of the session
/// (<c>opencode export</c>).
/// </summary>
public sealed class OpenCodeRunTests
{
    private const string Token = "e2e-static-token";
    private const string Credential = "CRED_CANARY_31";
    private const string PromptCanary = "PROMPT_CANARY_77";
    private const string FileCanary = "FILE_CANARY_42";
    private const string BashCanary = "BASH_CANARY_55";

    [Fact]
    public async Task OpenCodeRun_DeliversEachCompletedMessage_TheSessionAndItsCommit_AndNoContent()
    {
        using var temp = new TempDirectory();
        await using var ingest = await IngestServer.StartAsync();
        await using var receiver = await AspireDashboard.StartAsync();
        ingest.RequiredToken = Token;
        await using var model = await FakeModelServer.StartAsync($"echo {BashCanary} > notes.txt && git add -A && git commit -qm e2e-commit");

        var repo = new GitRepo(temp.Combine("widgets"));
        repo.Commit("initial");
        repo.Git($"remote add origin https://e2e-user:{Credential}@github.com/acme/widgets.git");
        File.WriteAllText(Path.Combine(repo.Path, "secret.txt"), FileCanary);
        var before = repo.Head;

        var state = temp.Combine("state");
        var analytics = temp.Combine("analytics.json");
        // The receiver in analytics.json rather than OTEL_EXPORTER_OTLP_ENDPOINT, which OpenCode would read too.
        File.WriteAllText(analytics, $$$"""{"endpoint": "{{{ingest.Endpoint}}}", "otlp": {"endpoint": "{{{receiver.OtlpEndpoint}}}"}}""");
        var periscope = new Dictionary<string, string?>
        {
            ["PERISCOPE_BIN"] = PeriscopeBinary.Path,
            ["PERISCOPE_HOME"] = state,
            ["PERISCOPE_CONFIG"] = analytics,
            ["PERISCOPE_TOKEN"] = Token,
            ["PERISCOPE_WORKER_IDLE_SECONDS"] = "2",
        };
        var plugin = Path.Combine(PeriscopeBinary.RepoRoot, "src", "opencode-plugin");
        var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, plugin, periscope);

        opencode.Run(repo.Path, $"Please commit the work. {PromptCanary}");

        // The commit happened, made by OpenCode's bash tool on the model's say-so.
        var after = repo.Head;
        Assert.NotEqual(before, after);
        Assert.Contains(model.Requests, r => r.Contains(PromptCanary, StringComparison.Ordinal));

        // Whatever the background worker has not delivered yet, flush delivers (it waits for the worker).
        var flush = PeriscopeBinary.Run(periscope, null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);

        var events = ingest.Stored.Values.Select(e => JsonNode.Parse(e.Json)!).ToList();
        var sessionId = events.Select(e => e["session_id"]?.GetValue<string>()).Distinct().Single();
        var record = opencode.Export(repo.Path, sessionId!);

        // One assistant_message per completed assistant message, with what OpenCode recorded.
        var completed = record["messages"]!.AsArray()
            .Select(m => m!["info"]!)
            .Where(i => i["role"]!.GetValue<string>() == "assistant" && i["time"]?["completed"] is not null)
            .ToList();
        Assert.Equal(2, completed.Count);
        var messages = events.Where(e => Kind(e) == "assistant_message").ToList();
        Assert.Equal(completed.Count, messages.Count);
        foreach (var info in completed)
        {
            var sent = Assert.Single(messages, m => m["message_id"]!.GetValue<string>() == info["id"]!.GetValue<string>());
            Assert.Equal(OpenCode.Model, sent["model_id"]!.GetValue<string>());
            Assert.Equal(OpenCode.Provider, sent["provider_id"]!.GetValue<string>());
            Assert.Equal(info["modelID"]!.GetValue<string>(), sent["model_id"]!.GetValue<string>());
            Assert.Equal(info["providerID"]!.GetValue<string>(), sent["provider_id"]!.GetValue<string>());
            var tokens = info["tokens"]!;
            Assert.Equal(tokens["input"]!.GetValue<long>(), sent["tokens"]!["input"]!.GetValue<long>());
            Assert.Equal(tokens["output"]!.GetValue<long>(), sent["tokens"]!["output"]!.GetValue<long>());
            Assert.Equal(tokens["reasoning"]!.GetValue<long>(), sent["tokens"]!["reasoning"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["read"]!.GetValue<long>(), sent["tokens"]!["cache_read"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["write"]!.GetValue<long>(), sent["tokens"]!["cache_write"]!.GetValue<long>());
            Assert.Equal(info["cost"]!.GetValue<decimal>(), sent["cost_usd"]!.GetValue<decimal>());
            Assert.Equal("https://github.com/acme/widgets.git", sent["git"]!["repo_url"]!.GetValue<string>());
        }

        // The scripted usage, as OpenCode turned it into tokens (input excludes cached) and cost.
        var first = messages.Single(m => m["tokens"]!["cache_read"]!.GetValue<long>() == 800);
        Assert.Equal(400, first["tokens"]!["input"]!.GetValue<long>());
        Assert.Equal(50, first["tokens"]!["output"]!.GetValue<long>());
        Assert.Equal(((400 * 3m) + (50 * 15m) + (800 * 0.3m)) / 1_000_000m, first["cost_usd"]!.GetValue<decimal>());

        // The session, with OpenCode's generated title and the agent.
        var sessions = events.Where(e => Kind(e) == "session").ToList();
        Assert.Contains(sessions, s => s["title"]?.GetValue<string>() == FakeModelServer.Title && s["agent"]?.GetValue<string>() == "build");
        Assert.Equal(FakeModelServer.Title, record["info"]!["title"]!.GetValue<string>());

        // The commit the bash tool made, attributed to this session.
        var commit = Assert.Single(events, e => Kind(e) == "commit");
        Assert.Equal(after, commit["sha"]!.GetValue<string>());
        Assert.Equal(sessionId, commit["session_id"]!.GetValue<string>());

        // The receiver has the same events, as log records named by kind, with the session and model.
        // `opencode export` above runs OpenCode again, plugin and all: a hook it fires may spool an
        // event after a flush began, and a worker it starts may be between the two sinks when this
        // compares them. So: flush and compare until both sinks hold the same event ids, 30 s at most.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> delivered, exportedIds;
        IReadOnlyList<ReceivedLog> exported;
        do
        {
            var settled = PeriscopeBinary.Run(periscope, null, "flush");
            Assert.True(settled.ExitCode == 0, settled.Stdout + settled.Stderr);
            exported = await receiver.LogsAsync();
            delivered = [.. ingest.Stored.Keys.Order(StringComparer.Ordinal)];
            // OTLP delivery is at least once: an event spooled again under its id (a session event
            // re-emitted by the export's own hooks) is a second log record, and a backend drops it by
            // periscope.event_id (docs/opentelemetry.md); the ingest keeps one event an id.
            exportedIds = [.. exported.Select(l => l.Attributes["periscope.event_id"]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }
        while (!delivered.SequenceEqual(exportedIds) && DateTime.UtcNow < deadline && await Pause());

        Assert.Equal(delivered, exportedIds);
        Assert.All(exported.Where(l => l.EventName == "periscope.assistant_message"), l => Assert.Equal(OpenCode.Model, l.Attributes["gen_ai.request.model"]));
        Assert.Contains(exported, l => l.EventName == "periscope.commit" && l.Attributes["gen_ai.conversation.id"] == sessionId);

        // Every request carried the token; nothing is left behind.
        Assert.All(ingest.Requests, r => Assert.Equal($"Bearer {Token}", r.Authorization));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(state, "spool"), "*.json"));

        // No credential, prompt, file content, command or API key anywhere Periscope wrote or sent.
        var written = StateDirectory.Written(state)
            .Append((Where: "what the ingest received", Text: string.Join('\n', ingest.Received.Select(e => e.Json))))
            .Append((Where: "what the OTLP receiver holds", Text: await receiver.EverythingAsync()))
            .ToList();
        Assert.Contains(written, w => w.Where.StartsWith("ledger", StringComparison.Ordinal));
        foreach (var secret in new[] { Credential, "e2e-user", PromptCanary, FileCanary, BashCanary, "e2e-commit", OpenCode.ApiKey, Token })
        {
            foreach (var (where, text) in written)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{secret} found in {where}");
            }
        }
    }

    private static string? Kind(JsonNode e) => e["kind"]?.GetValue<string>();

    // Half a second between two looks at the sinks; always true, so it can end a loop's condition.
    private static async Task<bool> Pause()
    {
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        return true;
    }
}
