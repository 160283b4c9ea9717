using System.Text;
using System.Text.Json;
using Periscope.Events;
using Periscope.Git;
using Periscope.Platform;
using Periscope.Report;
using Periscope.Stats;
using Periscope.Tests.Support;

namespace Periscope.Tests.Stats;

/// <summary>The share of the commits made in the repositories Periscope saw that came out of AI sessions, from their reflogs.</summary>
public sealed class CommitShareTests : IDisposable
{
    private static readonly DateTimeOffset s_t0 = new(2026, 11, 10, 9, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();
    private readonly TestEvents _events = new();

    private StatePaths Paths => new(_temp.Combine("state"));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void OfTheCommitsMadeInASeenRepository_ThoseACommitEventNames_AreTheSessions_PullsAndOtherRepositoriesLeftOut()
    {
        var t = s_t0.ToUnixTimeSeconds();
        var seen = new GitRepo(_temp.Combine("seen"));
        var early = seen.Commit("before-the-period", at: t - (20 * 86_400));
        var byAi = seen.Commit("ai-1", at: t);
        var byHand = seen.Commit("by-hand", at: t + 60);
        var byAiToo = seen.Commit("ai-2", at: t + 120);
        var onBranch = seen.Commit("on-a-branch", at: t + 180); // made here: counts, though no session made it
        seen.Git($"clone -q {seen.Path} {_temp.Combine("colleague")}");
        var colleague = new GitRepo(_temp.Combine("colleague"), init: false);
        var theirs = colleague.Commit("theirs", at: t + 200);
        seen.Git($"pull -q --ff-only {colleague.Path} HEAD", at: t + 240); // pulled in: not made here
        Assert.Equal(theirs, seen.Head);
        var unseen = new GitRepo(_temp.Combine("unseen"));
        unseen.Commit("elsewhere", at: t);

        // ses_hook's repository through the hook's session state; the same one as import found it.
        new SessionStateStore(Paths).Update("ses_hook", _ => (new SessionGitState { GitDirectory = seen.GitDirectory }, 0));
        SeenRepositories.AddImported(Paths, [seen.GitDirectory]);
        WriteLedger(Commit("ses_hook", byAi), Commit("ses_hook", byAiToo), Commit("ses_old", early));

        var report = CommitCosts.Report(Paths, DateOnly.FromDateTime(s_t0.UtcDateTime.AddDays(-1)), DateOnly.FromDateTime(s_t0.UtcDateTime));

        Assert.Equal(new CommitShare(Repositories: 1, Commits: 4, FromSessions: 2), report.Share); // byAi, byHand, byAiToo, onBranch
        Assert.Equal(0.5m, report.Share!.Share);
        using var json = JsonDocument.Parse(StatsFormatter.Json(report));
        var efficiency = json.RootElement.GetProperty("efficiency");
        Assert.Equal(2, efficiency.GetProperty("commits_from_sessions").GetInt32());
        Assert.Equal(4, efficiency.GetProperty("commits_in_repositories").GetInt32());
        Assert.Equal(0.5m, efficiency.GetProperty("session_commit_share").GetDecimal());
        Assert.Contains("Commits from AI sessions: 2 of the 4 made in the period in the 1 repositories Periscope saw (50%", StatsFormatter.Table(report), StringComparison.Ordinal);
    }

    [Fact]
    public void WithNoRepositorySeen_NothingIsClaimed()
    {
        var report = CommitCosts.Report(Paths, since: null, until: null);

        Assert.Equal(new CommitShare(0, 0, 0), report.Share);
        Assert.Null(report.Share!.Share);
        Assert.DoesNotContain("Commits from AI sessions", StatsFormatter.Table(report), StringComparison.Ordinal);
    }

    [Fact]
    public void TheReport_ShowsTheShare_BesideTheCommitsEfficiency()
    {
        var t = s_t0.ToUnixTimeSeconds();
        var repo = new GitRepo(_temp.Combine("repo"));
        var byAi = repo.Commit("ai", at: t);
        repo.Commit("by-hand", at: t + 60);
        SeenRepositories.AddImported(Paths, [repo.GitDirectory]);
        var git = new GitContext { RepoName = "repo" };
        WriteLedger(
            _events.Message("ses_1", s_t0.AddMinutes(-5), "fake/fake-model", 1m, new TokenUsage { Input = 1, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 }, git),
            _events.Commit("ses_1", s_t0, byAi, git));
        var day = DateOnly.FromDateTime(s_t0.UtcDateTime);
        var model = ReportModel.Build(ReportSource.Load(Paths), day, day.AddDays(1)) with { CommitShare = CommitShare.Measure(Paths, [], day, day) };
        var empty = ReportPage.Write(model, s_t0);
        Assert.Contains("0 of 2", empty, StringComparison.Ordinal);

        model = model with { CommitShare = CommitShare.Measure(Paths, ReportSource.Load(Paths).Commits, day, day) };
        var page = ReportPage.Write(model, s_t0);

        Assert.Contains("id=\"commit-share\"", page, StringComparison.Ordinal);
        Assert.Contains("1 of 2</strong> (50%)", page, StringComparison.Ordinal);

        // `periscope report` measures it; a --repo page leaves it out.
        var file = _temp.Combine("report.html");
        Assert.Equal(0, PeriscopeBinary.Run(Paths.Root, null, "report", "--since", $"{day:yyyy-MM-dd}", "--until", $"{day:yyyy-MM-dd}", "-o", file).ExitCode);
        Assert.Contains("1 of 2</strong> (50%)", File.ReadAllText(file), StringComparison.Ordinal);
        Assert.Equal(0, PeriscopeBinary.Run(Paths.Root, null, "report", "--since", $"{day:yyyy-MM-dd}", "--until", $"{day:yyyy-MM-dd}", "--repo", "repo", "-o", file).ExitCode);
        var repoPage = File.ReadAllText(file);
        Assert.Contains(byAi[..12], repoPage, StringComparison.Ordinal); // the commit is on it...
        Assert.DoesNotContain("id=\"commit-share\"", repoPage, StringComparison.Ordinal); // ...the share is not
    }

    private CommitEvent Commit(string session, string sha) => _events.Commit(session, s_t0, sha, git: null);

    private void WriteLedger(params IPeriscopeEvent[] events)
        => SpooledEvents.WriteLedger(Paths, "2026-11", events.Select(e => Encoding.UTF8.GetString(EventJson.Serialize(e))));
}
