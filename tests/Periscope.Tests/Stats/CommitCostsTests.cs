using System.Text;
using System.Text.Json;
using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.Stats;
using Periscope.Tests.Support;

namespace Periscope.Tests.Stats;

/// <summary>stats --by commit: the AI cost that led to each commit, by the rule in docs/commit-detection.md.</summary>
public sealed class CommitCostsTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private static readonly GitContext s_git = new() { RepoUrl = "https://github.com/acme/rocket.git", RepoName = "rocket", Branch = "main", Detached = false, HeadSha = new string('c', 40) };
    private readonly TempDirectory _temp = new();
    private readonly TestEvents _events = new();

    private StatePaths Paths => new(_temp.Combine("state"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void EachCommit_TakesItsTimelinesMessagesSinceThePreviousCommit_SubAgentsIncluded()
    {
        Write(
            Session("ses_child", parent: "ses_top"),
            Message("ses_top", minutes: 0, cost: 1m, input: 10),
            Message("ses_child", minutes: 1, cost: 2m, input: 20),
            Commit("ses_child", minutes: 2, sha: Sha('a')),      // a sub-agent's commit ends the top session's stretch
            Message("ses_top", minutes: 3, cost: 4m, input: 40),
            Message("ses_top", minutes: 5, cost: 8m, input: 80), // begun at the commit's minute: it led to it
            Commit("ses_top", minutes: 5, sha: Sha('b')),
            Message("ses_top", minutes: 6, cost: 16m, input: 160), // after the last commit: no commit yet
            Message("ses_other", minutes: 1, cost: 32m, input: 320),
            Commit("ses_other", minutes: 9, sha: Sha('c')));

        var report = CommitCosts.Report(Paths, since: null, until: null);

        Assert.Equal([Sha('a'), Sha('b'), Sha('c')], report.Rows.Select(r => r.Key));
        Assert.Equal([2L, 2, 1], report.Rows.Select(r => r.Messages));
        Assert.Equal([3m, 12m, 32m], report.Rows.Select(r => r.Cost));
        Assert.Equal([30L, 120, 320], report.Rows.Select(r => r.Input));
        Assert.Equal(["ses_top", "ses_top", "ses_other"], report.Rows.Select(r => r.Commit!.Session));
        Assert.Equal(47m, report.Totals.Cost);
        Assert.Equal(3, report.Totals.Commits);
        Assert.Equal(5, report.Totals.Messages);
    }

    [Fact]
    public void ARepeatedLedgerLine_CountsOnce_WithItsLastValue_AndACommitSeenTwiceIsOneRow()
    {
        var message = Message("ses_top", minutes: 0, cost: 1m, input: 10);
        var commit = Commit("ses_top", minutes: 2, sha: Sha('a'));
        Write(message, commit, message with { CostUsd = 5m }, commit with { EventId = _events.NewId(), OccurredAt = s_t0.AddMinutes(3) });

        var report = CommitCosts.Report(Paths, since: null, until: null);

        var row = Assert.Single(report.Rows);
        Assert.Equal(5m, row.Cost);
        Assert.Equal(1, row.Messages);
        Assert.Equal(s_t0.AddMinutes(2), row.Commit!.At); // the first time the commit was seen
    }

    [Fact]
    public void ACommitTwoSessionsReported_BelongsToTheOneThatMadeItInItsBashCall()
    {
        Write(
            Message("ses_watcher", minutes: 0, cost: 1m, input: 1),
            Commit("ses_watcher", minutes: 3, sha: Sha('a')) with { Attribution = CommitAttribution.Session },
            Message("ses_maker", minutes: 1, cost: 2m, input: 2),
            Commit("ses_maker", minutes: 4, sha: Sha('a')));

        var row = Assert.Single(CommitCosts.Report(Paths, since: null, until: null).Rows);

        Assert.Equal("ses_maker", row.Commit!.Session);
        Assert.Equal(2m, row.Cost);
    }

    [Fact]
    public void ThePeriod_PicksCommits_AndTheCostThatLedToThemCountsWheneverItWas()
    {
        Write(
            Message("ses_top", minutes: 0, cost: 1m, input: 1),
            Commit("ses_top", minutes: 60 * 24, sha: Sha('a')), // the next day
            Message("ses_top", minutes: 60 * 24 + 1, cost: 2m, input: 2),
            Commit("ses_top", minutes: 60 * 48, sha: Sha('b')));
        var day2 = DateOnly.FromDateTime(s_t0.AddDays(1).UtcDateTime);

        var report = CommitCosts.Report(Paths, since: day2, until: day2.AddDays(1));

        var row = Assert.Single(report.Rows);
        Assert.Equal(Sha('a'), row.Key);
        Assert.Equal(1m, row.Cost);
    }

    [Fact]
    public void CorruptLines_AreCounted_AndTheRestCount()
    {
        Write(Message("ses_top", minutes: 0, cost: 1m, input: 1), Commit("ses_top", minutes: 1, sha: Sha('a')));
        File.AppendAllText(new LocalLedger(Paths).Files().Single(), "{not json\n");

        var report = CommitCosts.Report(Paths, since: null, until: null);

        Assert.Equal(1, report.CorruptLines);
        Assert.Equal(1m, Assert.Single(report.Rows).Cost);
    }

    [Fact]
    public void Formats_NameTheCommitsRepositoryBranchSessionAndTime()
    {
        Write(Message("ses_top", minutes: 0, cost: 0.25m, input: 7), Commit("ses_top", minutes: 1, sha: Sha('a')));
        var report = CommitCosts.Report(Paths, since: null, until: null);

        var csv = StatsFormatter.Csv(report).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("commit,repo,branch,session_id,committed_at,files_changed,lines_added,lines_removed,diff_partial,messages,input_tokens,output_tokens,reasoning_tokens,cache_read_tokens,cache_write_tokens,cost_usd,commits,usd_per_1k_lines", csv[0]);
        Assert.Equal($"{Sha('a')},https://github.com/acme/rocket.git,main,ses_top,2026-11-10T09:01:00Z,,,,,1,7,0,0,0,0,0.25,1,", csv[1]); // an older commit event: no counts

        using var json = JsonDocument.Parse(StatsFormatter.Json(report));
        var row = json.RootElement.GetProperty("rows")[0];
        Assert.Equal(Sha('a'), row.GetProperty("key").GetString());
        Assert.Equal("main", row.GetProperty("branch").GetString());
        Assert.Equal("2026-11-10T09:01:00.0000000+00:00", row.GetProperty("committed_at").GetString());
        Assert.Equal(0.25m, row.GetProperty("cost_usd").GetDecimal());

        var table = StatsFormatter.Table(report);
        Assert.Contains(Sha('a')[..12] + "  https://github.com/acme/rocket.git", table, StringComparison.Ordinal);
        Assert.DoesNotContain(Sha('a'), table, StringComparison.Ordinal);
    }

    [Fact]
    public void Efficiency_PerCommitPerThousandLinesAndCommitsPerDollar_FromTheCommitsCounts()
    {
        Write(
            Message("ses_top", minutes: 0, cost: 1.5m, input: 1),
            Counted(Commit("ses_top", minutes: 1, sha: Sha('a')), files: 2, added: 250, removed: 50),     // 300 lines for $1.50
            Message("ses_top", minutes: 2, cost: 0.5m, input: 1),
            Counted(Commit("ses_top", minutes: 3, sha: Sha('b')), files: 1001, added: 900, removed: 100, partial: true), // 1,000 lines for $0.50
            Message("ses_old", minutes: 0, cost: 2m, input: 1),
            Commit("ses_old", minutes: 4, sha: Sha('c')));                                                  // not counted: $2.00

        var report = CommitCosts.Report(Paths, since: null, until: null);
        using var json = JsonDocument.Parse(StatsFormatter.Json(report));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);

        Assert.Equal(5m, rows[Sha('a')].GetProperty("usd_per_1k_lines").GetDecimal());   // 1.50 / 300 * 1000
        Assert.Equal(0.5m, rows[Sha('b')].GetProperty("usd_per_1k_lines").GetDecimal()); // 0.50 / 1000 * 1000
        Assert.True(rows[Sha('b')].GetProperty("diff_partial").GetBoolean());
        Assert.Equal(1001, rows[Sha('b')].GetProperty("files_changed").GetInt64());
        Assert.Equal(JsonValueKind.Null, rows[Sha('c')].GetProperty("usd_per_1k_lines").ValueKind);

        var efficiency = json.RootElement.GetProperty("efficiency");
        Assert.Equal(4m / 3m, efficiency.GetProperty("usd_per_commit").GetDecimal(), 6);      // $4.00 over 3 commits
        Assert.Equal(2m / 1300m * 1000m, efficiency.GetProperty("usd_per_1k_lines").GetDecimal(), 6); // the counted commits' $2.00 over their 1,300 lines
        Assert.Equal(0.75m, efficiency.GetProperty("commits_per_usd").GetDecimal());          // 3 commits for $4.00
        Assert.Equal(1300, efficiency.GetProperty("lines_changed").GetInt64());

        var table = StatsFormatter.Table(report);
        Assert.Contains("+900/-100*", table, StringComparison.Ordinal);
        Assert.Contains("USD per commit: 1.3333   USD per 1,000 changed lines: 1.5385   commits per USD: 0.75", table, StringComparison.Ordinal);
    }

    private static CommitEvent Counted(CommitEvent commit, long files, long added, long removed, bool partial = false)
        => commit with { FilesChanged = files, LinesAdded = added, LinesRemoved = removed, DiffPartial = partial };

    private static string Sha(char c) => new(c, 40);

    private AssistantMessageEvent Message(string session, int minutes, decimal cost, long input)
        => _events.Message(session, s_t0.AddMinutes(minutes), "anthropic/claude-sonnet-4.5", cost, new TokenUsage { Input = input, Output = 0, Reasoning = 0, CacheRead = 0, CacheWrite = 0 });

    private CommitEvent Commit(string session, int minutes, string sha) => _events.Commit(session, s_t0.AddMinutes(minutes), sha, s_git);

    private SessionEvent Session(string session, string parent) => _events.Session(session, s_t0, parent);

    private void Write(params IPeriscopeEvent[] events)
    {
        var ledger = new LocalLedger(Paths);
        ledger.Append(events.Select(e => (e, EventJson.Serialize(e))));
        Assert.NotEmpty(Encoding.UTF8.GetString(File.ReadAllBytes(ledger.Files().Single())));
    }
}
