using System.Diagnostics;
using System.Text.Json.Nodes;
using Periscope.Tests.Support;

namespace Periscope.EndToEnd.Tests;

/// <summary>
/// periscope import opencode against databases the real OpenCode CLI wrote in the test: a session
/// that handed its commit to a sub-agent before the plugin was installed, then a session the hook
/// recorded as it happened. What the import brings in is compared with OpenCode's own record
/// (<c>opencode export</c>), message by message.
/// </summary>
public sealed class ImportTests
{
    private const string CommitCommand = "date +%s%N >> notes.txt && git add -A && git commit -qm import-e2e";
    private const string AccountCanary = "ACCOUNT_TOKEN_CANARY_81";
    private const string CredentialCanary = "CREDENTIAL_CANARY_82";
    private const string ControlCanary = "CONTROL_REFRESH_CANARY_83";

    [Fact]
    public async Task Import_BringsInThePast_AsExportHasIt_OnceWhereTheHookSawIt_AndASecondRunAddsNothing()
    {
        using var temp = new TempDirectory();
        await using var model = await FakeModelServer.StartAsync(CommitCommand);
        var repo = new GitRepo(temp.Combine("widgets"));
        repo.Commit("initial");
        repo.Git("remote add origin https://github.com/acme/widgets.git");
        var state = temp.Combine("state");
        var periscope = new Dictionary<string, string?>
        {
            ["PERISCOPE_BIN"] = PeriscopeBinary.Path,
            ["PERISCOPE_HOME"] = state,
            ["PERISCOPE_CONFIG"] = temp.Combine("analytics.json"), // none: local mode
            ["PERISCOPE_WORKER_IDLE_SECONDS"] = "2",
        };
        var home = temp.Combine("home");

        // Before Periscope: a session whose sub-agent makes a commit.
        model.Subagent = true;
        var before = new OpenCode(home, model.BaseUrl, plugin: null, periscope);
        before.Run(repo.Path, "Please have a helper commit the work.");
        var subagentCommit = repo.Head;

        // With the plugin: a session the hook records as it happens, with its own commit.
        model.Subagent = false;
        var withHook = new OpenCode(home, model.BaseUrl, Path.Combine(PeriscopeBinary.RepoRoot, "src", "opencode-plugin"), periscope);
        withHook.Run(repo.Path, "Please commit the work.");
        var hookedCommit = repo.Head;
        Assert.NotEqual(subagentCommit, hookedCommit);
        var flush = PeriscopeBinary.Run(withHook.Environment, null, "flush");
        Assert.True(flush.ExitCode == 0, flush.Stdout + flush.Stderr);
        var hooked = Ledger.Events(state);
        Assert.Equal(2, hooked.Count(e => Ledger.Kind(e) == "assistant_message"));

        var import = PeriscopeBinary.Run(withHook.Environment, null, "import", "opencode");

        Assert.True(import.ExitCode == 0, import.Stdout + import.Stderr);
        var all = Ledger.Events(state);

        // The import appended lines of its own only: none repeats an id the hook recorded (whose
        // lines stay as they were), and none repeats another.
        Assert.Equal(hooked.Select(e => e.ToJsonString()), all.Take(hooked.Count).Select(e => e.ToJsonString()));
        var added = all.Skip(hooked.Count).ToList();
        Assert.NotEmpty(added);
        Assert.DoesNotContain(added, e => hooked.Any(h => Ledger.Id(h) == Ledger.Id(e)));
        Assert.Equal(added.Count, added.Select(Ledger.Id).Distinct().Count());

        // The hook may deliver one session event twice (the ledger keeps the last line of an id).
        var events = all.GroupBy(Ledger.Id).Select(g => g.Last()).ToList();

        // Each completed assistant message of every session, as OpenCode's export has it.
        var sessions = events.Where(e => Ledger.Kind(e) == "session").ToList();
        var parent = Assert.Single(sessions, s => s["is_subagent"]?.GetValue<bool>() == false && !hooked.Any(h => h["session_id"]!.GetValue<string>() == s["session_id"]!.GetValue<string>()));
        var subagent = Assert.Single(sessions, s => s["is_subagent"]?.GetValue<bool>() == true);
        Assert.Equal(parent["session_id"]!.GetValue<string>(), subagent["parent_session_id"]!.GetValue<string>());
        var messages = events.Where(e => Ledger.Kind(e) == "assistant_message").ToList();
        var exported = sessions.Select(s => s["session_id"]!.GetValue<string>()).Distinct()
            .SelectMany(id => withHook.Export(repo.Path, id)["messages"]!.AsArray().Select(m => m!["info"]!))
            .Where(i => i["role"]!.GetValue<string>() == "assistant" && i["time"]?["completed"] is not null)
            .ToList();
        Assert.Equal(6, exported.Count); // each session: the tool call's turn and the answer after it
        Assert.Equal(exported.Count, messages.Count);
        foreach (var info in exported)
        {
            var sent = Assert.Single(messages, m => m["message_id"]!.GetValue<string>() == info["id"]!.GetValue<string>());
            var tokens = info["tokens"]!;
            Assert.Equal(info["cost"]!.GetValue<decimal>(), sent["cost_usd"]!.GetValue<decimal>());
            Assert.Equal(tokens["input"]!.GetValue<long>(), sent["tokens"]!["input"]!.GetValue<long>());
            Assert.Equal(tokens["output"]!.GetValue<long>(), sent["tokens"]!["output"]!.GetValue<long>());
            Assert.Equal(tokens["reasoning"]!.GetValue<long>(), sent["tokens"]!["reasoning"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["read"]!.GetValue<long>(), sent["tokens"]!["cache_read"]!.GetValue<long>());
            Assert.Equal(tokens["cache"]!["write"]!.GetValue<long>(), sent["tokens"]!["cache_write"]!.GetValue<long>());
            Assert.Equal(info["sessionID"]!.GetValue<string>(), sent["session_id"]!.GetValue<string>());
        }

        // Imported events carry the repository as it is now, and say so; the hook's do not.
        Assert.All(messages.Where(m => !hooked.Any(h => Ledger.Id(h) == Ledger.Id(m))), m =>
        {
            Assert.Equal("https://github.com/acme/widgets.git", m["git"]!["repo_url"]!.GetValue<string>());
            Assert.True(m["git"]!["read_at_import"]!.GetValue<bool>());
        });
        Assert.All(hooked, h => Assert.Null(h["git"]?["read_at_import"]));

        // The sub-agent's commit, from the reflog, is the sub-agent's; the hook's is not reported again.
        var commits = events.Where(e => Ledger.Kind(e) == "commit").ToList();
        var imported = Assert.Single(commits, c => c["sha"]!.GetValue<string>() == subagentCommit);
        Assert.Equal("import", imported["attribution"]!.GetValue<string>());
        Assert.Equal(subagent["session_id"]!.GetValue<string>(), imported["session_id"]!.GetValue<string>());
        Assert.Equal(1, imported["files_changed"]!.GetValue<long>());
        Assert.Equal(1, imported["lines_added"]!.GetValue<long>());
        Assert.Equal("tool", Assert.Single(commits, c => c["sha"]!.GetValue<string>() == hookedCommit)["attribution"]!.GetValue<string>());
        Assert.Equal(2, commits.Count);

        // The report and stats show the history.
        var stats = PeriscopeBinary.Run(withHook.Environment, null, "stats", "--by", "session", "--json");
        Assert.True(stats.ExitCode == 0, stats.Stderr);
        var total = JsonNode.Parse(stats.Stdout)!["totals"]!;
        Assert.Equal(exported.Sum(i => i["cost"]!.GetValue<decimal>()), total["cost_usd"]!.GetValue<decimal>());
        Assert.Equal(exported.Count, total["messages"]!.GetValue<long>());
        var page = temp.Combine("report.html");
        var report = PeriscopeBinary.Run(withHook.Environment, null, "report", "-o", page);
        Assert.True(report.ExitCode == 0, report.Stderr);
        Assert.Contains(subagentCommit[..7], File.ReadAllText(page), StringComparison.Ordinal);

        // A second run adds nothing, and says so.
        var ledgerBefore = Ledger.Text(state);
        var again = PeriscopeBinary.Run(withHook.Environment, null, "import", "opencode");
        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Contains("Nothing to import", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(ledgerBefore, Ledger.Text(state));

        // A copy of the database with tokens in its credential tables: none of them reaches anything Periscope writes or prints.
        var copy = temp.Combine("copy", "opencode.db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        File.Copy(Path.Combine(home, ".local", "share", "opencode", "opencode.db"), copy);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            var side = Path.Combine(home, ".local", "share", "opencode", "opencode.db" + suffix);
            if (File.Exists(side))
            {
                File.Copy(side, copy + suffix);
            }
        }

        TestSqlite.Execute(copy, $"""
            INSERT INTO account (id, email, url, access_token, refresh_token, time_created, time_updated) VALUES ('acc_1', 'dev@example.com', 'https://opencode.ai', '{AccountCanary}', '{AccountCanary}-refresh', 1, 1);
            INSERT INTO credential (id, label, value, time_created, time_updated) VALUES ('cred_1', 'key', '{CredentialCanary}', 1, 1);
            INSERT INTO control_account (email, url, access_token, refresh_token, active, time_created, time_updated) VALUES ('dev@example.com', 'https://opencode.ai', '{ControlCanary}-access', '{ControlCanary}', 1, 1, 1);
            """);
        var fresh = new Dictionary<string, string?>(withHook.Environment) { ["PERISCOPE_HOME"] = temp.Combine("fresh-state") };
        var canaryRun = PeriscopeBinary.Run(fresh, null, "import", "opencode", "--database", copy);
        Assert.True(canaryRun.ExitCode == 0, canaryRun.Stdout + canaryRun.Stderr);
        Assert.Equal(exported.Count, Ledger.Events(temp.Combine("fresh-state")).Count(e => Ledger.Kind(e) == "assistant_message"));
        var everything = Directory.EnumerateFiles(temp.Combine("fresh-state"), "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}lib{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText)
            .Append(canaryRun.Stdout)
            .Append(canaryRun.Stderr);
        foreach (var text in everything)
        {
            Assert.DoesNotContain("CANARY", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Import_WhileOpenCodeWritesTheSameDatabase_NeitherSideSeesALock()
    {
        using var temp = new TempDirectory();
        await using var model = await FakeModelServer.StartAsync(CommitCommand);
        var repo = new GitRepo(temp.Combine("widgets"));
        repo.Commit("initial");
        var periscope = new Dictionary<string, string?> { ["PERISCOPE_HOME"] = temp.Combine("state"), ["PERISCOPE_CONFIG"] = temp.Combine("analytics.json") };
        var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, plugin: null, periscope);
        opencode.Run(repo.Path, "Please commit the work."); // the database exists before the import starts

        // A session that runs a while, answers held back, while imports read the database again and again.
        model.Delay = TimeSpan.FromMilliseconds(700);
        var run = Task.Run(() => opencode.Run(repo.Path, "Please commit the work again."));
        var imports = new List<ProcessResult>();
        var clock = Stopwatch.StartNew();
        while (!run.IsCompleted && clock.Elapsed < TimeSpan.FromMinutes(3))
        {
            imports.Add(PeriscopeBinary.Run(opencode.Environment, null, "import", "opencode"));
        }

        var opencodeRun = await run;
        Assert.True(imports.Count >= 3, $"only {imports.Count} imports ran while OpenCode did");
        Assert.All(imports, i => Assert.True(i.ExitCode == 0, i.Stdout + i.Stderr));
        foreach (var output in imports.Select(i => i.Stdout + i.Stderr).Append(opencodeRun.Stdout + opencodeRun.Stderr))
        {
            Assert.DoesNotContain("locked", output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("SQLITE_BUSY", output, StringComparison.Ordinal);
        }

        // What the last import left out (the run finished after it), one more brings in, once.
        var last = PeriscopeBinary.Run(opencode.Environment, null, "import", "opencode");
        Assert.True(last.ExitCode == 0, last.Stdout + last.Stderr);
        var messages = Ledger.Events(temp.Combine("state")).Where(e => Ledger.Kind(e) == "assistant_message").ToList();
        Assert.Equal(4, messages.Count);
        Assert.Equal(4, messages.Select(m => m["message_id"]!.GetValue<string>()).Distinct().Count());
    }

    /// <summary>The local ledger's events, read line by line.</summary>
    [Fact]
    public async Task Import_OfAnOpenCode2Directory_MatchesItsOwnMessages_ReadsNoCredential_AndASecondRunAddsNothing()
    {
        using var temp = new TempDirectory();
        await using var model = await FakeModelServer.StartAsync(CommitCommand);
        model.Subagent = true;
        var repo = new GitRepo(temp.Combine("widgets"));
        repo.Commit("initial");
        var state = temp.Combine("state");
        var periscope = new Dictionary<string, string?> { ["PERISCOPE_HOME"] = state, ["PERISCOPE_CONFIG"] = temp.Combine("analytics.json") };
        var opencode = new OpenCode(temp.Combine("home"), model.BaseUrl, plugin: null, periscope, OpenCodeMajor.V2);
        opencode.Run(repo.Path, "Please have a helper commit the work.");
        TestSqlite.Execute(opencode.Database, $"INSERT INTO credential (id, label, value, time_created, time_updated) VALUES ('cred', 'key', '{CredentialCanary}', 1, 1);");

        var import = PeriscopeBinary.Run(opencode.Environment, null, "import", "opencode");

        Assert.True(import.ExitCode == 0, import.Stdout + import.Stderr);
        var events = Ledger.Events(state);
        AssertMessagesAsStored(opencode.Database, events);
        var sessions = TestSqlite.Query(opencode.Database, "SELECT id, parent_id FROM session_v2");
        Assert.Equal(2, sessions.Count);
        foreach (var row in sessions)
        {
            var session = Assert.Single(events, e => Ledger.Kind(e) == "session" && e["session_id"]!.GetValue<string>() == row[0]);
            Assert.Equal(row[1] is not null, session["is_subagent"]!.GetValue<bool>());
            Assert.Equal(row[1], session["parent_session_id"]?.GetValue<string>());
        }

        Assert.Equal(repo.Head, Assert.Single(events, e => Ledger.Kind(e) == "commit")["sha"]!.GetValue<string>());
        SessionCosts.AssertStatsMatch(opencode.Database, opencode.Environment);
        Assert.DoesNotContain(CredentialCanary, import.Stdout + import.Stderr + Ledger.Text(state), StringComparison.Ordinal);

        var again = PeriscopeBinary.Run(opencode.Environment, null, "import", "opencode");

        Assert.True(again.ExitCode == 0, again.Stdout + again.Stderr);
        Assert.Equal(events.Count, Ledger.Events(state).Count);
    }

    [Fact]
    public async Task Import_OfA118DirectoryThatOpenCode2Opened_CountsEachMessageOnce()
    {
        using var temp = new TempDirectory();
        await using var model = await FakeModelServer.StartAsync(CommitCommand);
        var repo = new GitRepo(temp.Combine("widgets"));
        repo.Commit("initial");
        var state = temp.Combine("state");
        var periscope = new Dictionary<string, string?> { ["PERISCOPE_HOME"] = state, ["PERISCOPE_CONFIG"] = temp.Combine("analytics.json") };
        var home = temp.Combine("home");
        new OpenCode(home, model.BaseUrl, plugin: null, periscope, OpenCodeMajor.V1).Run(repo.Path, "Please commit the work.");
        var opencode2 = new OpenCode(home, model.BaseUrl, plugin: null, periscope, OpenCodeMajor.V2);
        opencode2.Run(repo.Path, "Please commit the work again.");
        // OpenCode 2 copied the 1.18 session into its own tables and left the old ones in place.
        Assert.NotEmpty(TestSqlite.Query(opencode2.Database, "SELECT id FROM message"));
        Assert.Equal(2, TestSqlite.Query(opencode2.Database, "SELECT id FROM session_v2").Count);

        var import = PeriscopeBinary.Run(opencode2.Environment, null, "import", "opencode");

        Assert.True(import.ExitCode == 0, import.Stdout + import.Stderr);
        var events = Ledger.Events(state);
        AssertMessagesAsStored(opencode2.Database, events);
        Assert.Equal(4, events.Count(e => Ledger.Kind(e) == "assistant_message"));
        SessionCosts.AssertStatsMatch(opencode2.Database, opencode2.Environment);
    }

    // Every assistant message OpenCode 2 stored is one assistant_message with its model, tokens and cost.
    private static void AssertMessagesAsStored(string database, List<JsonNode> events)
    {
        var stored = TestSqlite.Query(database, "SELECT id, session_id, data FROM session_message WHERE type = 'assistant'");
        var messages = events.Where(e => Ledger.Kind(e) == "assistant_message").ToList();
        Assert.Equal(stored.Count, messages.Count);
        Assert.Equal(messages.Count, messages.Select(Ledger.Id).Distinct().Count());
        foreach (var row in stored)
        {
            var data = JsonNode.Parse(row[2]!)!;
            var sent = Assert.Single(messages, m => m["message_id"]!.GetValue<string>() == row[0]);
            Assert.Equal(row[1], sent["session_id"]!.GetValue<string>());
            Assert.Equal(data["model"]!["id"]!.GetValue<string>(), sent["model_id"]!.GetValue<string>());
            Assert.Equal(data["model"]!["providerID"]!.GetValue<string>(), sent["provider_id"]!.GetValue<string>());
            Assert.Equal(data["cost"]!.GetValue<decimal>(), sent["cost_usd"]!.GetValue<decimal>());
            Assert.Equal(data["tokens"]!["input"]!.GetValue<long>(), sent["tokens"]!["input"]!.GetValue<long>());
            Assert.Equal(data["tokens"]!["output"]!.GetValue<long>(), sent["tokens"]!["output"]!.GetValue<long>());
            Assert.Equal(data["tokens"]!["cache"]!["read"]!.GetValue<long>(), sent["tokens"]!["cache_read"]!.GetValue<long>());
            Assert.Equal(data["tokens"]!["cache"]!["write"]!.GetValue<long>(), sent["tokens"]!["cache_write"]!.GetValue<long>());
        }
    }

    private static class Ledger
    {
        public static List<JsonNode> Events(string state)
            => Directory.Exists(Path.Combine(state, "ledger"))
                ? [.. Text(state).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!)]
                : [];

        public static string Text(string state)
            => string.Concat(Directory.EnumerateFiles(Path.Combine(state, "ledger"), "*.jsonl").Order(StringComparer.Ordinal).Select(File.ReadAllText));

        public static string? Kind(JsonNode e) => e["kind"]?.GetValue<string>();

        public static string Id(JsonNode e) => e["event_id"]!.GetValue<string>();
    }
}
