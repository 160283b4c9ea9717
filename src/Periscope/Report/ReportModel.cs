using Periscope.Events;
using Periscope.Stats;

namespace Periscope.Report;

/// <summary>One figure of the totals, with the same figure for the previous period of the same length.</summary>
internal sealed record Figure(string Name, decimal Value, decimal Previous);

/// <summary>One day of the period: cost by model, tokens by kind.</summary>
internal sealed record DayFigures(DateOnly Day, IReadOnlyDictionary<string, decimal> CostByModel, long Input, long Output, long Reasoning, long CacheRead, long CacheWrite);

/// <summary>A share of the period (a model, a provider, a repository and branch): cost, messages, commits.</summary>
internal sealed record Share(string Name, decimal Cost, long Messages, long Commits);

/// <summary>A session with its sub-agents nested under it.</summary>
internal sealed record SessionLine(
    string Id, string? Title, string? Agent, DateTimeOffset Start, DateTimeOffset End, long Messages, long Tokens, decimal Cost, long Commits, bool Queued, IReadOnlyList<SessionLine> SubAgents);

/// <summary>A commit and the AI cost that led to it (docs/commit-detection.md, "Cost per commit").</summary>
internal sealed record CommitLine(StatsRow Row, Uri? Link, bool Queued);

/// <summary>
/// Everything the report page shows for one period [From, To), computed from the events: the page
/// only draws it. Messages count by the day they occurred (UTC), as in <c>stats</c>.
/// </summary>
internal sealed record ReportModel(
    DateOnly From,
    DateOnly To,
    IReadOnlyList<Figure> Totals,
    IReadOnlyList<string> Models,
    IReadOnlyList<DayFigures> Days,
    IReadOnlyList<Share> ByModel,
    IReadOnlyList<Share> ByProvider,
    IReadOnlyList<Share> ByRepository,
    IReadOnlyList<SessionLine> Sessions,
    IReadOnlyList<CommitLine> Commits,
    int QueuedEvents,
    int CorruptLines,
    int LedgerEvents)
{
    public bool IsEmpty => LedgerEvents == 0 && QueuedEvents == 0;

    /// <summary>Cache reads over everything read as input (fresh input plus cache reads).</summary>
    public decimal CacheHitRate
    {
        get
        {
            var read = Days.Sum(d => d.CacheRead);
            var all = read + Days.Sum(d => d.Input);
            return all == 0 ? 0m : (decimal)read / all;
        }
    }

    public static ReportModel Build(ReportSource source, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(source);
        var messages = source.Events.OfType<AssistantMessageEvent>().ToList();
        var commitRows = CommitCosts.Attribute(source.Events);
        var commitEvents = source.Events.OfType<CommitEvent>().ToList();
        var inPeriod = messages.Where(m => In(m.OccurredAt, from, to)).ToList();
        var length = to.DayNumber - from.DayNumber;
        var previousFrom = from.AddDays(-length);
        var before = messages.Where(m => In(m.OccurredAt, previousFrom, from)).ToList();
        var commits = commitRows.Where(r => CommitCosts.InPeriod(r, from, to)).ToList();
        var previousCommits = commitRows.Count(r => CommitCosts.InPeriod(r, previousFrom, from));

        var totals = new List<Figure>
        {
            new("Cost (USD)", inPeriod.Sum(m => m.CostUsd), before.Sum(m => m.CostUsd)),
            new("Tokens", inPeriod.Sum(Tokens), before.Sum(Tokens)),
            new("Messages", inPeriod.Count, before.Count),
            new("Sessions", inPeriod.Select(m => m.SessionId).Distinct(StringComparer.Ordinal).Count(), before.Select(m => m.SessionId).Distinct(StringComparer.Ordinal).Count()),
            new("Commits", commits.Count, previousCommits),
        };

        var models = inPeriod.GroupBy(Model, StringComparer.Ordinal).OrderByDescending(g => g.Sum(m => m.CostUsd)).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        var days = Enumerable.Range(0, length).Select(i => from.AddDays(i)).Select(day =>
        {
            var of = inPeriod.Where(m => DateOnly.FromDateTime(m.OccurredAt.UtcDateTime) == day).ToList();
            return new DayFigures(
                day,
                of.GroupBy(Model, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(m => m.CostUsd), StringComparer.Ordinal),
                of.Sum(m => m.Tokens.Input), of.Sum(m => m.Tokens.Output), of.Sum(m => m.Tokens.Reasoning), of.Sum(m => m.Tokens.CacheRead), of.Sum(m => m.Tokens.CacheWrite));
        }).ToList();

        var commitsByRepository = commits.GroupBy(r => Place(r.Commit!.Repo, r.Commit.Branch), StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var repositories = inPeriod.GroupBy(m => Place(m.Git?.RepoUrl ?? m.Git?.RepoName, m.Git?.Branch), StringComparer.Ordinal)
            .Select(g => new Share(g.Key, g.Sum(m => m.CostUsd), g.Count(), commitsByRepository.GetValueOrDefault(g.Key)))
            .Concat(commitsByRepository.Where(c => !inPeriod.Any(m => Place(m.Git?.RepoUrl ?? m.Git?.RepoName, m.Git?.Branch) == c.Key)).Select(c => new Share(c.Key, 0m, 0, c.Value)))
            .OrderByDescending(s => s.Cost).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();

        return new ReportModel(
            from,
            to,
            totals,
            models,
            days,
            Shares(inPeriod, Model),
            Shares(inPeriod, m => m.ProviderId),
            repositories,
            SessionLines(source, inPeriod, commits),
            [.. commits.Select(r => new CommitLine(r, ForgeLinks.Commit(r.Commit!.Repo, r.Key), commitEvents.Any(c => c.Sha == r.Key && source.Queued.Contains(c.EventId))))],
            source.Queued.Count,
            source.CorruptLines,
            source.Events.Count - source.Queued.Count);
    }

    public static string Model(AssistantMessageEvent message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return $"{message.ProviderId}/{message.ModelId}";
    }

    private static long Tokens(AssistantMessageEvent m) => m.Tokens.Input + m.Tokens.Output + m.Tokens.Reasoning + m.Tokens.CacheRead + m.Tokens.CacheWrite;

    private static bool In(DateTimeOffset at, DateOnly from, DateOnly to)
    {
        var day = DateOnly.FromDateTime(at.UtcDateTime);
        return day >= from && day < to;
    }

    private static string Place(string? repository, string? branch)
        => repository is null ? "(no repository)" : branch is null ? repository : $"{repository} @ {branch}";

    private static List<Share> Shares(List<AssistantMessageEvent> messages, Func<AssistantMessageEvent, string> key)
        => [.. messages.GroupBy(key, StringComparer.Ordinal)
            .Select(g => new Share(g.Key, g.Sum(m => m.CostUsd), g.Count(), 0))
            .OrderByDescending(s => s.Cost).ThenByDescending(s => s.Messages).ThenBy(s => s.Name, StringComparer.Ordinal)];

    private static List<SessionLine> SessionLines(ReportSource source, List<AssistantMessageEvent> messages, List<StatsRow> commits)
    {
        var described = source.Events.OfType<SessionEvent>()
            .GroupBy(s => s.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.OccurredAt)!, StringComparer.Ordinal);
        var commitCount = commits.GroupBy(r => r.Commit!.Session, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var lines = messages.GroupBy(m => m.SessionId, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (Messages: g.ToList(), Session: described.GetValueOrDefault(g.Key)),
            StringComparer.Ordinal);

        // Sub-agents nest under their parent when the parent has messages in the period too.
        // A loop in damaged data (A under B under A) is cut where it closes, so every session shows.
        string? ParentOf(string id) => lines[id].Session?.ParentSessionId is { } parent && lines.ContainsKey(parent) && !Reaches(parent, id) ? parent : null;
        bool Reaches(string from, string target)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (string? at = from; at is not null && seen.Add(at); at = lines.TryGetValue(at, out var line) ? line.Session?.ParentSessionId : null)
            {
                if (at == target)
                {
                    return true;
                }
            }

            return false;
        }

        SessionLine Line(string id)
        {
            var (list, session) = lines[id];
            var children = lines.Keys.Where(child => ParentOf(child) == id).Select(Line).OrderBy(c => c.Start).ToList();
            return new SessionLine(
                id,
                session?.Title,
                session?.Agent ?? list.Select(m => m.Agent).FirstOrDefault(a => a is not null),
                list.Min(m => m.CreatedAt),
                list.Max(m => m.CompletedAt),
                list.Count,
                list.Sum(Tokens),
                list.Sum(m => m.CostUsd),
                commitCount.GetValueOrDefault(id),
                list.Any(m => source.Queued.Contains(m.EventId)),
                children);
        }

        return [.. lines.Keys.Where(id => ParentOf(id) is null).Select(Line).OrderByDescending(s => s.Start)];
    }
}
