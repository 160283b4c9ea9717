using System.Text.Json;
using Periscope.Tests.Support;

namespace Periscope.Tests.Stats;

/// <summary>Local mode through the published binary: replay, flush into the ledger, stats.</summary>
public sealed class LocalModeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Flush_MovesEverySpooledEvent_IntoThisMonthsLedger()
    {
        Replay("session-with-commit.hooks.jsonl");

        var result = Run("flush");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("4 events delivered to the local ledger", result.Stdout, StringComparison.Ordinal);
        Assert.Empty(StateDirectory.SpoolFiles(Home));
        var ledger = Assert.Single(Directory.GetFiles(Path.Combine(Home, "ledger")));
        Assert.Equal("2026-11.jsonl", Path.GetFileName(ledger)); // the month the recorded events occurred
        Assert.Equal(4, File.ReadAllLines(ledger).Length);
    }

    [Fact]
    public void Stats_ReportsWhatOpenCodeRecorded()
    {
        Replay("session-with-commit.hooks.jsonl");
        Replay("session-with-subagent.hooks.jsonl");
        Assert.Equal(0, Run("flush").ExitCode);

        using var json = JsonDocument.Parse(Run("stats", "--json").Stdout);

        var totals = json.RootElement.GetProperty("totals");
        Assert.Equal(6, totals.GetProperty("messages").GetInt64());
        Assert.Equal(4800, totals.GetProperty("input_tokens").GetInt64());
        Assert.Equal(174, totals.GetProperty("output_tokens").GetInt64());
        Assert.Equal(2700, totals.GetProperty("cache_read_tokens").GetInt64());
        Assert.Equal(0.01803m, totals.GetProperty("cost_usd").GetDecimal());
        var row = Assert.Single(json.RootElement.GetProperty("rows").EnumerateArray());
        Assert.Equal("fake/fake-model", row.GetProperty("key").GetString());
    }

    [Fact]
    public void Stats_ByCommit_GivesTheCommitTheCostThatLedToIt()
    {
        // A message, a sub-agent session and the commit the session made, flushed into the ledger.
        FullEvents.Spool(Home, FullEvents.All());
        Assert.Equal(0, Run("flush").ExitCode);

        var result = Run("stats", "--by", "commit", "--csv");

        Assert.Equal(0, result.ExitCode);
        var lines = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("commit,repo,branch,session_id,committed_at,files_changed,lines_added,lines_removed,diff_partial,messages,input_tokens,output_tokens,reasoning_tokens,cache_read_tokens,cache_write_tokens,cost_usd,commits,usd_per_1k_lines", lines[0]);
        Assert.Equal($"{new string('d', 40)},https://github.com/acme/rocket.git,main,ses_otlp,2026-11-24T19:36:35Z,,,,,1,1200,340,56,8000,700,0.01875,1,", Assert.Single(lines[1..]));
    }

    [Fact]
    public void Stats_BySession_MatchesOpenCodesOwnSessionTotal()
    {
        Replay("session-with-commit.hooks.jsonl");
        Run("flush");

        var csv = Run("stats", "--by", "session", "--csv").Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("session,messages,input_tokens,output_tokens,reasoning_tokens,cache_read_tokens,cache_write_tokens,cost_usd,commits", csv[0]);
        // OpenCode's own session.updated says: cost 0.00375, input 800, output 38, reasoning 14, cache read 1900.
        Assert.Equal("ses_df0f0b331ffeDYh50YSwxf08pI,2,800,38,14,1900,0,0.00375,0", csv[1]);
    }

    [Fact]
    public void Stats_ByDay_WithSinceAndUntil_Filters()
    {
        Replay("session-with-commit.hooks.jsonl");
        Run("flush");

        string[] Days(params string[] filter)
        {
            var result = Run(["stats", "--by", "day", "--csv", .. filter]);
            Assert.True(result.ExitCode == 0, result.Stderr);
            Assert.StartsWith("day,messages,", result.Stdout, StringComparison.Ordinal);
            return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(line => line.Split(',')[0]).ToArray();
        }

        Assert.Equal(["2026-11-24"], Days("--since", "2026-11-24", "--until", "2026-11-24"));
        Assert.Empty(Days("--since", "2026-11-25"));
        Assert.Empty(Days("--until", "2026-11-23"));
    }

    [Fact]
    public void AnEventFlushedTwice_CountsOnce()
    {
        var message = HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]);
        PeriscopeBinary.Run(Home, message, "hook", "opencode");
        Run("flush");
        PeriscopeBinary.Run(Home, message, "hook", "opencode");
        Run("flush");

        using var json = JsonDocument.Parse(Run("stats", "--json").Stdout);

        Assert.Equal(1, json.RootElement.GetProperty("totals").GetProperty("messages").GetInt64());
    }

    [Fact]
    public void ACorruptSpoolFile_IsQuarantinedWithItsReason_AndDoesNotBlockTheRest()
    {
        Replay("session-with-commit.hooks.jsonl");
        File.WriteAllText(Path.Combine(Home, "spool", "broken.json"), "{\"kind\":\"assistant_message\"");

        var result = Run("flush");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("4 events delivered", result.Stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Home, "dead", "broken.json")));
        Assert.Contains("not a valid event: malformed JSON", File.ReadAllText(Path.Combine(Home, "dead", "broken.json.reason.txt")), StringComparison.Ordinal);
        Assert.Empty(StateDirectory.SpoolFiles(Home));
    }

    [Fact]
    public void CorruptLedgerLines_AreSkippedAndCounted()
    {
        Replay("session-with-commit.hooks.jsonl");
        Run("flush");
        File.AppendAllText(Directory.GetFiles(Path.Combine(Home, "ledger"))[0], "garbage\n{\"kind\":\"commit\"}\n");

        var result = Run("stats", "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(2, json.RootElement.GetProperty("corrupt_ledger_lines").GetInt32());
        Assert.Equal(2, json.RootElement.GetProperty("totals").GetProperty("messages").GetInt64());
        Assert.Contains("2 ledger lines were not valid events", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Stats_SaysWhenEventsAreStillInTheSpool()
    {
        Replay("session-with-commit.hooks.jsonl");

        var result = Run("stats");

        Assert.Contains("4 events are waiting in the spool", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("run 'periscope flush'", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "stats", "--by", "color" }, "'--by' takes model, provider, day, repo, session or commit")]
    [InlineData(new[] { "stats", "--by", "1" }, "'--by' takes model, provider, day, repo, session or commit")]
    [InlineData(new[] { "stats", "--since", "yesterday" }, "'--since' takes a date as YYYY-MM-DD")]
    [InlineData(new[] { "stats", "--until" }, "'--until' takes a date as YYYY-MM-DD")]
    [InlineData(new[] { "flush", "--now" }, "unknown option '--now' for 'flush'")]
    public void UsageErrors_ExplainAndExitTwo(string[] args, string message)
    {
        var result = Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }

    private void Replay(string file) => Assert.Equal(0, PeriscopeBinary.Run(Home, null, "replay", HookFixtures.FixturePath(file)).ExitCode);

    private ProcessResult Run(params string[] args) => PeriscopeBinary.Run(Home, null, args);
}
