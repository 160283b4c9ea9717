using Periscope.Events;
using Periscope.Platform;
using Periscope.Report;
using Periscope.Tests.Support;

namespace Periscope.Tests.Report;

public sealed class ReportModelTests
{
    private static readonly DateOnly s_from = new(2026, 11, 1);

    [Fact]
    public void SessionsThatNameEachOtherAsParent_AreAllShown()
    {
        var events = new List<IPeriscopeEvent>
        {
            Session("ses_x", parent: "ses_y"),
            Session("ses_y", parent: "ses_x"),
            Message("ses_x", 1), Message("ses_y", 2),
        };

        var model = ReportModel.Build(ReportSource.From(events, new HashSet<string>(), 0), s_from, s_from.AddDays(7));

        var shown = model.Sessions.SelectMany(s => s.SubAgents.Prepend(s)).Select(s => s.Id).Order().ToList();
        Assert.Equal(["ses_x", "ses_y"], shown);
    }

    [Fact]
    public void NoEvents_IsEmpty_AndTheWholePeriodHasItsDays()
    {
        var model = ReportModel.Build(ReportSource.From([], new HashSet<string>(), 0), s_from, s_from.AddDays(30));

        Assert.True(model.IsEmpty);
        Assert.Equal(30, model.Days.Count);
        Assert.Contains("periscope install", ReportPage.Write(model, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
    }

    [Fact]
    public void ForRepository_KeepsThatRepositorysMessagesAndCommits_ByNameOrUrl()
    {
        var events = new TestEvents();
        var rocket = new GitContext { RepoUrl = "https://github.com/acme/rocket.git", RepoName = "rocket", Branch = "main" };
        var docs = new GitContext { RepoUrl = "https://gitlab.com/acme/docs.git", RepoName = "docs", Branch = "main" };
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var tokens = new TokenUsage { Input = 1, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 };
        var source = ReportSource.From(
            [
                events.Message("ses_a", at, "p/m", 1m, tokens, rocket),
                events.Message("ses_b", at, "p/m", 2m, tokens, docs),
                events.Commit("ses_a", at.AddHours(1), new string('a', 40), rocket),
                events.Commit("ses_b", at.AddHours(1), new string('b', 40), docs),
            ],
            new HashSet<string>(),
            0);

        foreach (var name in new[] { "rocket", "https://github.com/acme/rocket.git" })
        {
            var model = ReportModel.Build(source.ForRepository(name), s_from, s_from.AddDays(7));
            Assert.Equal(1m, model.Totals[0].Value);
            Assert.Equal(new string('a', 40), Assert.Single(model.Commits).Row.Key);
        }
    }

    [Fact]
    public void TheCommitsTable_ShowsLinesAndCostPerThousandLines_AndTheEfficiencyLine()
    {
        var events = new TestEvents();
        var rocket = new GitContext { RepoUrl = "https://github.com/acme/rocket.git", RepoName = "rocket", Branch = "main" };
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var tokens = new TokenUsage { Input = 1, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 };
        var source = ReportSource.From(
            [
                events.Message("ses_a", at, "p/m", 3m, tokens, rocket),
                events.Commit("ses_a", at.AddHours(1), new string('a', 40), rocket) with { FilesChanged = 4, LinesAdded = 1500, LinesRemoved = 500, DiffPartial = false },
                events.Message("ses_a", at.AddHours(2), "p/m", 1m, tokens, rocket),
                events.Commit("ses_a", at.AddHours(3), new string('b', 40), rocket),
            ],
            new HashSet<string>(),
            0);

        var page = ReportPage.Write(ReportModel.Build(source, s_from, s_from.AddDays(7)), DateTimeOffset.UnixEpoch);

        Assert.Contains("<td>+1,500/−500</td><td>$1.5000</td>", page, StringComparison.Ordinal); // $3 over 2,000 lines
        Assert.Contains("AI cost per commit: <strong>$2.0000</strong>", page, StringComparison.Ordinal);
        Assert.Contains("per 1,000 changed lines: <strong>$1.5000</strong>", page, StringComparison.Ordinal); // the uncounted commit's $1 is left out
        Assert.Contains("commits per dollar: <strong>0.5</strong>", page, StringComparison.Ordinal);
    }

    [Fact]
    public void ASessionsTotals_CountInItsCostAndTheTotals_ButNotAsAMessageOrInACommit()
    {
        var events = new TestEvents();
        var rocket = new GitContext { RepoUrl = "https://github.com/acme/rocket.git", RepoName = "rocket", Branch = "main" };
        var at = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
        var tokens = new TokenUsage { Input = 10, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 };
        SessionUsageEvent Totals(long input, decimal cost, DateTimeOffset when) => new()
        {
            EventId = EventIds.For(SessionUsageEvent.KindName, "ses_a", $"{input}"),
            OccurredAt = when,
            Client = ClientInfo.Event,
            SessionId = "ses_a",
            Tokens = new SessionTokens { Input = input, Output = 2, Reasoning = 0, CacheRead = 0, CacheWrite = 0 },
            CostUsd = cost,
        };
        var source = ReportSource.From(
            [
                Totals(15, 1.5m, at),
                events.Message("ses_a", at, "p/m", 1m, tokens, rocket),
                events.Commit("ses_a", at.AddHours(1), new string('a', 40), rocket),
                events.Message("ses_a", at.AddHours(2), "p/m", 1m, tokens, rocket),
                Totals(25, 2.5m, at.AddHours(2)),
            ],
            new HashSet<string>(),
            0);

        var model = ReportModel.Build(source, s_from, s_from.AddDays(7));

        var session = Assert.Single(model.Sessions);
        Assert.Equal((2L, 2.5m, 27L), (session.Messages, session.Cost, session.Tokens));
        Assert.Equal(2.5m, model.Totals[0].Value);
        Assert.Equal(2m, model.Totals[2].Value); // messages
        Assert.Equal(1m, Assert.Single(model.Commits).Row.Cost);
        Assert.Equal(0.5m, Assert.Single(model.ByModel, s => s.Name == Periscope.Stats.SessionTotals.OutsideSteps).Cost);
        Assert.Equal(2.5m, Assert.Single(model.ByRepository).Cost);
    }

    [Fact]
    public void LongTables_AreCapped_AndTheRestSummed()
    {
        var events = new TestEvents();
        var tokens = new TokenUsage { Input = 1, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 };
        var start = new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero);
        var many = Enumerable.Range(0, ReportPage.MaxRows + 50).Select(i => events.Message($"ses_{i:D4}", start.AddMinutes(i), "p/m", 0.01m, tokens)).ToList<IPeriscopeEvent>();

        var page = ReportPage.Write(ReportModel.Build(ReportSource.From(many, new HashSet<string>(), 0), s_from, s_from.AddDays(7)), DateTimeOffset.UnixEpoch);

        Assert.Equal(ReportPage.MaxRows, System.Text.RegularExpressions.Regex.Count(page, "data-session="));
        Assert.Contains("… and 50 more sessions, older</td><td>$0.5000</td>", page, StringComparison.Ordinal);
        Assert.Contains("data-session=\"ses_0249\"", page, StringComparison.Ordinal); // the newest are shown
    }

    private static SessionEvent Session(string id, string parent) => new()
    {
        EventId = "s" + id,
        OccurredAt = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero),
        Client = FullEvents.Client,
        SessionId = id,
        IsSubagent = true,
        ParentSessionId = parent,
    };

    private static AssistantMessageEvent Message(string session, int hour) => new()
    {
        EventId = $"m{session}{hour}",
        OccurredAt = new DateTimeOffset(2026, 11, 2, hour, 0, 0, TimeSpan.Zero),
        Client = FullEvents.Client,
        MessageId = $"msg_{session}{hour}",
        SessionId = session,
        ModelId = "m",
        ProviderId = "p",
        Tokens = new TokenUsage { Input = 1, Output = 1, Reasoning = 0, CacheRead = 0, CacheWrite = 0 },
        CostUsd = 0.01m,
        CreatedAt = new DateTimeOffset(2026, 11, 2, hour, 0, 0, TimeSpan.Zero),
        CompletedAt = new DateTimeOffset(2026, 11, 2, hour, 1, 0, TimeSpan.Zero),
    };
}
