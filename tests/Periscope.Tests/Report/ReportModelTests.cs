using Periscope.Events;
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

        var model = ReportModel.Build(new ReportSource(events, new HashSet<string>(), 0), s_from, s_from.AddDays(7));

        var shown = model.Sessions.SelectMany(s => s.SubAgents.Prepend(s)).Select(s => s.Id).Order().ToList();
        Assert.Equal(["ses_x", "ses_y"], shown);
    }

    [Fact]
    public void NoEvents_IsEmpty_AndTheWholePeriodHasItsDays()
    {
        var model = ReportModel.Build(new ReportSource([], new HashSet<string>(), 0), s_from, s_from.AddDays(30));

        Assert.True(model.IsEmpty);
        Assert.Equal(30, model.Days.Count);
        Assert.Contains("periscope install", ReportPage.Write(model, DateTimeOffset.UnixEpoch), StringComparison.Ordinal);
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
