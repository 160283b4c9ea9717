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
    /// <summary>How many of the commits made in the repositories Periscope saw came out of AI sessions; null when not measured (a --repo page).</summary>
    public CommitShare? CommitShare { get; init; }

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
        var length = to.DayNumber - from.DayNumber;
        var previousFrom = from.AddDays(-length);
        var inPeriod = new List<MessageFact>();
        var before = new List<MessageFact>();
        foreach (var m in source.Messages)
        {
            var day = m.Day;
            if (day >= from && day < to)
            {
                inPeriod.Add(m);
            }
            else if (day >= previousFrom && day < from)
            {
                before.Add(m);
            }
        }

        var commitRows = source.CommitRows();
        var commits = commitRows.Where(r => CommitCosts.InPeriod(r, from, to)).ToList();
        var previousCommits = commitRows.Count(r => CommitCosts.InPeriod(r, previousFrom, from));

        var sessions = Tally(inPeriod, m => m.Session);
        var total = Sum(inPeriod);
        var previous = Sum(before);
        var totals = new List<Figure>
        {
            new("Cost (USD)", total.Cost, previous.Cost),
            new("Tokens", total.Tokens, previous.Tokens),
            new("Messages", total.Messages, previous.Messages),
            new("Sessions", sessions.Count, Tally(before, m => m.Session).Count),
            new("Commits", commits.Count, previousCommits),
        };

        var byModel = Shares(inPeriod, m => m.Model);
        var models = byModel.Select(s => s.Name).ToList();

        // Each day once: cost by model and tokens by kind, in one pass over the period's messages.
        var days = Enumerable.Range(0, length).Select(i => new DayTally(from.AddDays(i))).ToArray();
        foreach (var m in inPeriod)
        {
            days[m.Day.DayNumber - from.DayNumber].Add(m);
        }

        var places = commits.GroupBy(r => Place(r.Commit!.Repo, r.Commit.Branch), StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        var repositories = Tally(inPeriod, m => (Repo: m.Repo ?? m.RepoName, m.Branch))
            .GroupBy(t => Place(t.Key.Repo, t.Key.Branch), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (Cost: g.Sum(t => t.Value.Cost), Messages: g.Sum(t => t.Value.Messages)), StringComparer.Ordinal);
        var byRepository = repositories.Keys.Union(places.Keys, StringComparer.Ordinal)
            .Select(place => new Share(place, repositories.GetValueOrDefault(place).Cost, repositories.GetValueOrDefault(place).Messages, places.GetValueOrDefault(place)))
            .OrderByDescending(s => s.Cost).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();

        var commitEvents = source.Commits.ToLookup(c => c.Sha, StringComparer.Ordinal);
        return new ReportModel(
            from,
            to,
            totals,
            models,
            [.. days.Select(d => d.ToFigures())],
            byModel,
            Shares(inPeriod, m => m.Provider),
            byRepository,
            SessionLines(source, sessions, commits),
            [.. commits.Select(r => new CommitLine(r, ForgeLinks.Commit(r.Commit!.Repo, r.Key), commitEvents[r.Key].Any(c => source.QueuedCommits.Contains(c.EventId))))],
            source.QueuedEvents,
            source.CorruptLines,
            source.LedgerEvents);
    }

    private static string Place(string? repository, string? branch)
        => repository is null ? "(no repository)" : branch is null ? repository : $"{repository} @ {branch}";

    private static List<Share> Shares(List<MessageFact> messages, Func<MessageFact, string> key)
        => [.. Tally(messages, key)
            .Select(t => new Share(t.Key, t.Value.Cost, t.Value.Messages, 0))
            .OrderByDescending(s => s.Cost).ThenByDescending(s => s.Messages).ThenBy(s => s.Name, StringComparer.Ordinal)];

    private static Sums Sum(List<MessageFact> messages)
    {
        var sum = new Sums();
        messages.ForEach(sum.Add);
        return sum;
    }

    // The messages summed by key, in one pass.
    private static Dictionary<TKey, Sums> Tally<TKey>(List<MessageFact> messages, Func<MessageFact, TKey> key)
        where TKey : notnull
    {
        var sums = new Dictionary<TKey, Sums>();
        foreach (var m in messages)
        {
            var k = key(m);
            if (!sums.TryGetValue(k, out var sum))
            {
                sums[k] = sum = new Sums();
            }

            sum.Add(m);
        }

        return sums;
    }

    private static List<SessionLine> SessionLines(ReportSource source, Dictionary<string, Sums> lines, List<StatsRow> commits)
    {
        var described = source.Sessions
            .GroupBy(s => s.SessionId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.MaxBy(s => s.OccurredAt)!, StringComparer.Ordinal);
        var commitCount = commits.GroupBy(r => r.Commit!.Session, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);
        string? ParentNamed(string id) => described.GetValueOrDefault(id)?.ParentSessionId;

        // Sub-agents nest under their parent when the parent has messages in the period too. A loop
        // in damaged data (A under B under A) is cut where it closes, so every session shows.
        bool Reaches(string from, string target)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (string? at = from; at is not null && seen.Add(at); at = ParentNamed(at))
            {
                if (at == target)
                {
                    return true;
                }
            }

            return false;
        }

        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var tops = new List<string>();
        foreach (var id in lines.Keys)
        {
            if (ParentNamed(id) is { } parent && lines.ContainsKey(parent) && !Reaches(parent, id))
            {
                (children.TryGetValue(parent, out var list) ? list : children[parent] = []).Add(id);
            }
            else
            {
                tops.Add(id);
            }
        }

        SessionLine Line(string id)
        {
            var sums = lines[id];
            var session = described.GetValueOrDefault(id);
            return new SessionLine(
                id,
                session?.Title,
                session?.Agent ?? sums.Agent,
                sums.Start,
                sums.End,
                sums.Messages,
                sums.Tokens,
                sums.Cost,
                commitCount.GetValueOrDefault(id),
                sums.Queued,
                [.. children.GetValueOrDefault(id, []).Select(Line).OrderBy(c => c.Start)]);
        }

        return [.. tops.Select(Line).OrderByDescending(s => s.Start)];
    }

    /// <summary>What a group of messages adds up to.</summary>
    private sealed class Sums
    {
        public decimal Cost { get; private set; }

        public long Messages { get; private set; }

        public long Tokens { get; private set; }

        public DateTimeOffset Start { get; private set; } = DateTimeOffset.MaxValue;

        public DateTimeOffset End { get; private set; } = DateTimeOffset.MinValue;

        /// <summary>The agent of the first message that names one.</summary>
        public string? Agent { get; private set; }

        public bool Queued { get; private set; }

        public void Add(MessageFact m)
        {
            Cost += m.Usage.Cost;
            Messages += m.OutsideSteps ? 0 : 1;
            Tokens += m.Tokens;
            Start = m.CreatedAt < Start ? m.CreatedAt : Start;
            End = m.CompletedAt > End ? m.CompletedAt : End;
            Agent ??= m.Agent;
            Queued |= m.Queued;
        }
    }

    private sealed class DayTally(DateOnly day)
    {
        private readonly Dictionary<string, decimal> _cost = new(StringComparer.Ordinal);
        private long _input, _output, _reasoning, _cacheRead, _cacheWrite;

        public void Add(MessageFact m)
        {
            _cost[m.Model] = _cost.GetValueOrDefault(m.Model) + m.Usage.Cost;
            _input += m.Usage.Input;
            _output += m.Usage.Output;
            _reasoning += m.Usage.Reasoning;
            _cacheRead += m.Usage.CacheRead;
            _cacheWrite += m.Usage.CacheWrite;
        }

        public DayFigures ToFigures() => new(day, _cost, _input, _output, _reasoning, _cacheRead, _cacheWrite);
    }
}
