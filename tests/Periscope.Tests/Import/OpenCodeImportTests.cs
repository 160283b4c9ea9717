using System.Text;
using System.Text.Json.Nodes;
using Periscope.Commands;
using Periscope.Events;
using Periscope.Platform;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Import;

/// <summary>
/// periscope import opencode over databases laid out as OpenCode 1.18 lays them out, filled from
/// the recorded sessions (Fixtures/opencode) or row by row. The real CLI's own databases, and an
/// import beside a running OpenCode, are in tests/e2e/ImportTests.cs.
/// </summary>
public sealed class OpenCodeImportTests : IDisposable
{
    private const string Canary = "IMPORT_CANARY_TOKEN_64";
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    private string Database => _temp.Combine("opencode", "opencode.db");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void TheConnection_ReadsMessageAndSession_AndIsDeniedEveryOtherTable_AndEveryWrite()
    {
        var history = new OpenCodeHistory(Database);
        history.AddSession("ses_1", "title", "/nowhere", 1, 2);
        TestSqlite.Execute(Database, $"INSERT INTO account (id, email, url, access_token, refresh_token, time_created, time_updated) VALUES ('a', 'e', 'u', '{Canary}', '{Canary}', 1, 1);");

        using var sqlite = SystemSqlite.Open(Database, ["message", "session"], TimeSpan.FromSeconds(1));

        using (var sessions = sqlite.Prepare("SELECT id, title FROM session"))
        {
            Assert.True(sessions.Step());
            Assert.Equal("ses_1", sessions.Text(0));
        }

        foreach (var sql in new[]
        {
            "SELECT access_token FROM account",
            "SELECT s.id, a.refresh_token FROM session s JOIN account a",
            "SELECT value FROM credential",
            "SELECT refresh_token FROM control_account",
            "SELECT id FROM session WHERE id IN (SELECT id FROM account)",
            "PRAGMA table_info(account)",
            "DELETE FROM session",
            "INSERT INTO message (id, session_id, time_created, time_updated, data) VALUES ('m', 's', 1, 1, '{}')",
            "ATTACH DATABASE 'other.db' AS other",
        })
        {
            var denied = Assert.Throws<SqliteException>(() => sqlite.Prepare(sql).Dispose());
            Assert.DoesNotContain(Canary, denied.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ARecordedSession_ImportedAfterTheHookRecordedIt_AddsNothing_AndBeforeIt_GivesTheHooksEvents()
    {
        var history = new OpenCodeHistory(Database);
        history.AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);

        // The hook's way: every recorded call through `periscope replay`, then delivered.
        var hooked = _temp.Combine("hooked");
        Assert.Equal(0, PeriscopeBinary.Run(hooked, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl")).ExitCode);
        Assert.Equal(0, PeriscopeBinary.Run(hooked, null, "flush").ExitCode);
        var ledger = LedgerText(hooked);

        var after = PeriscopeBinary.Run(hooked, null, "import", "opencode", "--database", Database);

        Assert.True(after.ExitCode == 0, after.Stdout + after.Stderr);
        Assert.Contains("Nothing to import", after.Stdout, StringComparison.Ordinal);
        Assert.Equal(ledger, LedgerText(hooked));

        // The import's way, into a fresh state: the hook's very messages, ids, tokens and cost.
        var imported = PeriscopeBinary.Run(Home, null, "import", "opencode", "--database", Database);

        Assert.True(imported.ExitCode == 0, imported.Stdout + imported.Stderr);
        Assert.Contains("1 session (0 sub-agent), 2 assistant messages", imported.Stdout, StringComparison.Ordinal);
        var fromHook = Messages(hooked);
        var fromImport = Messages(Home);
        Assert.Equal(fromHook.Keys.Order(), fromImport.Keys.Order());
        foreach (var (id, message) in fromHook)
        {
            foreach (var field in new[] { "message_id", "session_id", "model_id", "provider_id", "agent", "tokens", "cost_usd", "finish_reason", "created_at", "completed_at" })
            {
                Assert.Equal(message[field]?.ToJsonString(), fromImport[id][field]?.ToJsonString());
            }
        }

        var session = Assert.Single(Events(Home), e => e["kind"]!.GetValue<string>() == "session");
        Assert.Equal("Commit the work", session["title"]!.GetValue<string>());
        Assert.Contains(Events(hooked), e => e["event_id"]!.GetValue<string>() == session["event_id"]!.GetValue<string>());

        // Run again: nothing changes.
        var before = LedgerText(Home);
        var again = PeriscopeBinary.Run(Home, null, "import", "opencode", "--database", Database);
        Assert.Contains("Nothing to import", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(before, LedgerText(Home));
    }

    [Fact]
    public void ASubAgentSession_IsImportedAsOne_WithItsParent()
    {
        var history = new OpenCodeHistory(Database);
        history.AddRecorded("session-with-subagent.hooks.jsonl", HookFixtures.Directory);

        var (exit, output, _) = Import();

        Assert.Equal(0, exit);
        Assert.Contains("2 sessions (1 sub-agent)", output, StringComparison.Ordinal);
        var sessions = Events(Home).Where(e => e["kind"]!.GetValue<string>() == "session").ToList();
        var child = Assert.Single(sessions, s => s["is_subagent"]!.GetValue<bool>());
        var parent = Assert.Single(sessions, s => !s["is_subagent"]!.GetValue<bool>());
        Assert.Equal(parent["session_id"]!.GetValue<string>(), child["parent_session_id"]!.GetValue<string>());
        Assert.Equal("Commit the changes (@general subagent)", child["title"]!.GetValue<string>());
    }

    [Fact]
    public void OnlyFinishedAssistantMessages_BecomeEvents_AndWhatCannotBeReadIsCountedWithItsReason()
    {
        var history = new OpenCodeHistory(Database);
        var ms = s_t0.ToUnixTimeMilliseconds();
        history.AddSession("ses_1", "work", "/nowhere", ms, ms + 10_000);
        history.AddMessage("msg_user", "ses_1", ms, """{"role":"user","time":{"created":1},"agent":"build","model":{"providerID":"fake","modelID":"fake-model"}}""");
        history.AddAssistant("msg_done", "ses_1", ms + 1000, ms + 2000, cost: 0.25m);
        history.AddMessage("msg_running", "ses_1", ms + 3000, """{"role":"assistant","modelID":"fake-model","providerID":"fake","time":{"created":1}}""");
        history.AddMessage("msg_nomodel", "ses_1", ms + 4000, """{"role":"assistant","providerID":"fake","time":{"created":1,"completed":2}}""");
        history.AddMessage("msg_broken", "ses_1", ms + 5000, """{"role":"assistant","cost":"#""");
        history.AddMessage("msg_wrongtype", "ses_1", ms + 6000, """{"role":"assistant","tokens":"many"}""");

        var (exit, output, error) = Import();

        Assert.True(exit == 0, output + error);
        var message = Assert.Single(Events(Home), e => e["kind"]!.GetValue<string>() == "assistant_message");
        Assert.Equal("msg_done", message["message_id"]!.GetValue<string>());
        Assert.Contains("1 assistant message, $0.25", output, StringComparison.Ordinal);
        Assert.Contains("1 assistant message that never finished", output, StringComparison.Ordinal);
        Assert.Contains("1 message skipped: completed assistant message without modelID", output, StringComparison.Ordinal);
        Assert.Contains("2 messages skipped: unreadable message data", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Since_LeavesOutOlderMessages_AndDryRunWritesNothing()
    {
        var history = new OpenCodeHistory(Database);
        var ms = s_t0.ToUnixTimeMilliseconds();
        history.AddSession("ses_1", "work", "/nowhere", ms, ms + (3 * 86_400_000L));
        history.AddAssistant("msg_old", "ses_1", ms, ms + 1000, cost: 1m);
        history.AddAssistant("msg_new", "ses_1", ms + (2 * 86_400_000L), ms + (2 * 86_400_000L) + 1000, cost: 2m);

        var (dryExit, dryOutput, _) = Import(dryRun: true, since: DateOnly.FromDateTime(s_t0.UtcDateTime.AddDays(1)));

        Assert.Equal(0, dryExit);
        Assert.Contains("1 assistant message, $2.00, 2026-11-12 to 2026-11-12", dryOutput, StringComparison.Ordinal);
        Assert.Contains("Dry run: nothing was written", dryOutput, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Home, "ledger")));
        Assert.Empty(StateDirectory.SpoolFiles(Home));

        Import(since: DateOnly.FromDateTime(s_t0.UtcDateTime.AddDays(1)));

        Assert.Equal(["msg_new"], Messages(Home).Values.Select(m => m["message_id"]!.GetValue<string>()));
        Import();
        Assert.Equal(["msg_new", "msg_old"], Messages(Home).Values.Select(m => m["message_id"]!.GetValue<string>()).Order());
    }

    [Fact]
    public void ReflogCommits_InsideASessionsLifetime_AreItsCommits_TheSessionStartedLastWinning()
    {
        var repo = new GitRepo(_temp.Combine("repo"));
        var t = s_t0.ToUnixTimeSeconds();
        repo.Commit("before", at: t - 60);
        var inA = repo.Commit("in-a", at: t + 100);
        var inB = repo.Commit("in-b", at: t + 300);
        repo.Commit("after", at: t + 2000);
        repo.Git("remote add origin https://user:secret@github.com/acme/repo.git");
        var history = new OpenCodeHistory(Database);
        var ms = s_t0.ToUnixTimeMilliseconds();
        history.AddSession("ses_a", "a", repo.Path, ms, ms + 1_000_000);
        history.AddSession("ses_b", "b", repo.Path, ms + 200_000, ms + 1_000_000, parentId: "ses_a");
        history.AddAssistant("msg_a", "ses_a", ms, ms + 1_000_000, cost: 1m, cwd: repo.Path);
        history.AddAssistant("msg_b", "ses_b", ms + 200_000, ms + 400_000, cost: 1m, cwd: repo.Path);

        var (exit, output, error) = Import();

        Assert.True(exit == 0, output + error);
        var commits = Events(Home).Where(e => e["kind"]!.GetValue<string>() == "commit").ToDictionary(c => c["sha"]!.GetValue<string>());
        Assert.Equal(new[] { inA, inB }.Order(StringComparer.Ordinal), commits.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("ses_a", commits[inA]["session_id"]!.GetValue<string>());
        Assert.Equal("ses_b", commits[inB]["session_id"]!.GetValue<string>());
        Assert.All(commits.Values, c =>
        {
            Assert.Equal("import", c["attribution"]!.GetValue<string>());
            Assert.Equal("commit", c["operation"]!.GetValue<string>());
            Assert.Equal(1, c["files_changed"]!.GetValue<long>());
            Assert.Equal(1, c["lines_added"]!.GetValue<long>());
            Assert.Equal("https://github.com/acme/repo.git", c["git"]!["repo_url"]!.GetValue<string>());
            Assert.True(c["git"]!["read_at_import"]!.GetValue<bool>());
        });
        Assert.Contains("2 commits made during those sessions", output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", LedgerText(Home), StringComparison.Ordinal);
    }

    [Fact]
    public void ASessionTheHookSaw_KeepsTheHooksCommits_AndAShaPeriscopeHasIsNotReportedAgain()
    {
        var repo = new GitRepo(_temp.Combine("repo"));
        var t = s_t0.ToUnixTimeSeconds();
        repo.Commit("initial", at: t - 60);
        var inSeen = repo.Commit("in-seen", at: t + 100);
        var known = repo.Commit("known", at: t + 200);
        var history = new OpenCodeHistory(Database);
        var ms = s_t0.ToUnixTimeMilliseconds();
        history.AddSession("ses_seen", "seen", repo.Path, ms, ms + 1_000_000);
        history.AddAssistant("msg_seen", "ses_seen", ms, ms + 1_000_000, cost: 1m, cwd: repo.Path);
        history.AddSession("ses_new", "new", repo.Path, ms + 50_000, ms + 1_000_000);
        history.AddAssistant("msg_new", "ses_new", ms + 50_000, ms + 900_000, cost: 1m, cwd: repo.Path);

        // The ledger has an event of ses_seen (from the hook) and the commit `known` from another session.
        var events = new TestEvents();
        var seen = events.Message("ses_seen", s_t0, "fake/fake-model", 1m, new TokenUsage { Input = 1, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 });
        var elsewhere = events.Commit("ses_elsewhere", s_t0, known, git: null);
        SpooledEvents.WriteLedger(new StatePaths(Home), "2026-11", [Encoding.UTF8.GetString(EventJson.Serialize(seen)), Encoding.UTF8.GetString(EventJson.Serialize(elsewhere))]);

        Import();

        var commits = Events(Home).Where(e => e["kind"]!.GetValue<string>() == "commit" && e["attribution"]!.GetValue<string>() == "import").ToList();
        Assert.DoesNotContain(commits, c => c["sha"]!.GetValue<string>() == known);
        Assert.DoesNotContain(commits, c => c["session_id"]!.GetValue<string>() == "ses_seen");
        Assert.Equal(inSeen, Assert.Single(commits)["sha"]!.GetValue<string>()); // inside ses_new's lifetime too
        Assert.Equal("ses_new", commits[0]["session_id"]!.GetValue<string>());
    }

    [Fact]
    public void CredentialRows_ReachNothingTheImportWritesOrPrints()
    {
        var history = new OpenCodeHistory(Database);
        history.AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);
        TestSqlite.Execute(Database, $"""
            INSERT INTO account (id, email, url, access_token, refresh_token, time_created, time_updated) VALUES ('acc', 'dev@example.com', 'https://opencode.ai', '{Canary}-a', '{Canary}-r', 1, 1);
            INSERT INTO credential (id, label, value, time_created, time_updated) VALUES ('cred', 'key', '{Canary}-c', 1, 1);
            INSERT INTO control_account (email, url, access_token, refresh_token, active, time_created, time_updated) VALUES ('dev@example.com', 'https://opencode.ai', '{Canary}-x', '{Canary}-y', 1, 1, 1);
            """);

        var run = PeriscopeBinary.Run(Home, null, "import", "opencode", "--database", Database);

        Assert.True(run.ExitCode == 0, run.Stdout + run.Stderr);
        Assert.Equal(2, Messages(Home).Count);
        Assert.DoesNotContain(Canary, run.Stdout + run.Stderr + StateDirectory.AllTextExceptLibraries(Home), StringComparison.Ordinal);
    }

    [Fact]
    public void NoDatabase_AnotherLayout_OrNotADatabase_GetAClearMessage_AndWriteNothing()
    {
        var (missing, _, missingError) = Import(database: _temp.Combine("none", "opencode.db"));
        Assert.Equal(1, missing);
        Assert.Contains("no OpenCode history at", missingError, StringComparison.Ordinal);
        Assert.Contains("where OpenCode 2.x (@opencode/cli 2.1.2) or 1.18 (opencode-ai 1.18.33) keeps its database", missingError, StringComparison.Ordinal);

        var other = _temp.Combine("other", "opencode.db");
        _ = new OpenCodeHistory(other, "CREATE TABLE message (id text, session_id text, time_created integer); CREATE TABLE session (id text);");
        var (layout, _, layoutError) = Import(database: other);
        Assert.Equal(1, layout);
        Assert.Contains("is not laid out the way OpenCode 2.x (@opencode/cli 2.1.2) or 1.18 (opencode-ai 1.18.33) lays out its database", layoutError, StringComparison.Ordinal);
        Assert.Contains("no such column", layoutError, StringComparison.Ordinal);

        var text = _temp.Combine("text", "opencode.db");
        Directory.CreateDirectory(Path.GetDirectoryName(text)!);
        File.WriteAllText(text, "this is not a database, it is a text file long enough to have a header of sorts\n");
        var (garbage, _, garbageError) = Import(database: text);
        Assert.Equal(1, garbage);
        Assert.Contains("cannot read OpenCode's database", garbageError, StringComparison.Ordinal);
        Assert.Contains("not a database", garbageError, StringComparison.Ordinal);

        Assert.False(Directory.Exists(Home));
    }

    [Fact]
    public async Task WhenTheIngestIsDown_WhatWasReadWaitsInTheSpool_AndANextRunDoesNotReadItAgain()
    {
        await using var ingest = await IngestServer.StartAsync();
        ingest.Enqueue(new IngestFault.Status(503, RetryAfter: "120"));
        var history = new OpenCodeHistory(Database);
        history.AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);
        var analytics = _temp.Combine("remote.json");
        File.WriteAllText(analytics, $$"""{"endpoint": "{{ingest.Endpoint}}"}""");
        var variables = new Dictionary<string, string?> { ["PERISCOPE_CONFIG"] = analytics, ["PERISCOPE_TOKEN"] = "test-token" };

        var (exit, _, error) = Import(variables: variables);

        Assert.Equal(1, exit);
        Assert.Contains("delivery stopped", error, StringComparison.Ordinal);
        Assert.Contains("3 events wait in the spool for the worker", error, StringComparison.Ordinal);
        Assert.Equal(3, StateDirectory.SpoolFiles(Home).Count);
        Assert.Empty(ingest.Stored);

        var (again, output, _) = Import(variables: variables);

        Assert.Equal(0, again);
        Assert.Contains("Nothing to import", output, StringComparison.Ordinal);
        Assert.Equal(3, StateDirectory.SpoolFiles(Home).Count);
    }

    [Theory]
    [InlineData("y", true)]
    [InlineData("", false)]
    [InlineData("no", false)]
    public void InstallsOffer_OnATerminal_AsksFirst_AndImportsOnYes(string answer, bool imports)
    {
        new OpenCodeHistory(Database).AddRecorded("session-with-commit.hooks.jsonl", HookFixtures.Directory);
        var variables = new Dictionary<string, string?> { ["XDG_DATA_HOME"] = _temp.Path, ["PERISCOPE_HOME"] = Home, ["PERISCOPE_CONFIG"] = _temp.Combine("analytics.json") };
        using var output = new StringWriter();

        var exit = InstallCommand.OfferImport(name => variables.GetValueOrDefault(name), importNow: false, ask: true, new StringReader(answer + "\n"), output, TextWriter.Null);

        Assert.Equal(0, exit);
        Assert.Contains("2 assistant messages", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Import it now? [y/N]", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(imports ? 2 : 0, Messages(Home).Count);
    }

    [Fact]
    public void TheCommandLine_NamesTheSource_AndTakesItsOptions()
    {
        Assert.Equal(CommandLine.UsageError, PeriscopeBinary.Run(Home, null, "import").ExitCode);
        var wrong = PeriscopeBinary.Run(Home, null, "import", "cursor");
        Assert.Equal(CommandLine.UsageError, wrong.ExitCode);
        Assert.Contains("reads OpenCode's history only", wrong.Stderr, StringComparison.Ordinal);
        Assert.Equal(CommandLine.UsageError, PeriscopeBinary.Run(Home, null, "import", "opencode", "--since", "yesterday").ExitCode);
        Assert.Equal(CommandLine.UsageError, PeriscopeBinary.Run(Home, null, "import", "opencode", "--sinse", "2026-01-01").ExitCode);
        var help = PeriscopeBinary.Run(Home, null, "import", "--help");
        Assert.Contains("--dry-run", help.Stdout, StringComparison.Ordinal);
    }

    private (int Exit, string Output, string Error) Import(bool dryRun = false, DateOnly? since = null, string? database = null, Dictionary<string, string?>? variables = null)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        variables ??= new Dictionary<string, string?> { ["PERISCOPE_CONFIG"] = _temp.Combine("analytics.json") };
        var exit = ImportCommand.Run(new StatePaths(Home), name => variables.GetValueOrDefault(name), database ?? Database, since, dryRun, TimeProvider.System, output, error, terminal: false);
        return (exit, output.ToString(), error.ToString());
    }

    private static string LedgerText(string home)
        => string.Concat(Directory.GetFiles(Path.Combine(home, "ledger"), "*.jsonl").Order(StringComparer.Ordinal).Select(File.ReadAllText));

    private static List<JsonNode> Events(string home)
        => Directory.Exists(Path.Combine(home, "ledger"))
            ? [.. LedgerText(home).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!)]
            : [];

    private static Dictionary<string, JsonNode> Messages(string home)
        => !Directory.Exists(Path.Combine(home, "ledger")) ? [] : Events(home).Where(e => e["kind"]!.GetValue<string>() == "assistant_message").ToDictionary(e => e["event_id"]!.GetValue<string>());
}
