using Periscope.Events;
using Periscope.Spool;

namespace Periscope.Stats;

/// <summary>
/// The AI cost that led to each commit (docs/commit-detection.md, "Cost per commit"). A session and
/// its sub-agents share one timeline, keyed by the top session. Each message of it counts toward the
/// first commit of that timeline made at or after the message began; the first commit takes
/// everything from the session's start. Messages after a timeline's last commit led to no commit
/// yet and are in no row. A commit's row is in the period when the commit is; the messages that led
/// to it count whenever they were. The last ledger line of an event id wins, as in every report.
/// </summary>
internal static class CommitCosts
{
    public static StatsReport Report(LocalLedger ledger, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        var ledgerEvents = new LedgerEvents();
        var corrupt = 0;
        foreach (var file in ledger.Files())
        {
            corrupt += LedgerBlocks.ReadEvents(file, ledgerEvents.Add);
        }

        var rows = Rows(ledgerEvents).Where(row => InPeriod(row, since, until)).ToList();
        var totals = new StatsRow("total");
        foreach (var row in rows)
        {
            totals.Add(row);
        }

        return new StatsReport(StatsGrouping.Commit, rows, totals, corrupt);
    }

    /// <summary>Every commit among <paramref name="events"/> with the cost that led to it, oldest first.</summary>
    public static List<StatsRow> Attribute(IEnumerable<IPeriscopeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var ledgerEvents = new LedgerEvents();
        foreach (var e in events)
        {
            ledgerEvents.Add(e);
        }

        return Rows(ledgerEvents);
    }

    /// <summary>The same from what a report keeps of each message, and the commits and sessions.</summary>
    public static List<StatsRow> Attribute(IEnumerable<(string EventId, string Session, DateTimeOffset Start, Usage Usage)> messages, IEnumerable<IPeriscopeEvent> commitsAndSessions)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(commitsAndSessions);
        var ledgerEvents = new LedgerEvents();
        foreach (var (id, session, start, usage) in messages)
        {
            ledgerEvents.AddMessage(id, start, usage with { Key = session });
        }

        foreach (var e in commitsAndSessions)
        {
            ledgerEvents.Add(e);
        }

        return Rows(ledgerEvents);
    }

    public static bool InPeriod(StatsRow row, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(row);
        var day = DateOnly.FromDateTime(row.Commit!.At.UtcDateTime);
        return (since is null || day >= since) && (until is null || day < until);
    }

    private static List<StatsRow> Rows(LedgerEvents ledgerEvents)
    {
        var rows = ledgerEvents.Timelines().SelectMany(timeline => timeline.Rows()).ToList();
        rows.Sort((a, b) => a.Commit!.At.CompareTo(b.Commit!.At) is var byTime and not 0 ? byTime : string.CompareOrdinal(a.Key, b.Key));
        return rows;
    }

    /// <summary>The ledger's messages, commits and session parents, the last line of an id winning.</summary>
    private sealed class LedgerEvents
    {
        private readonly Dictionary<EventKey, MessageFacts> _messages = [];
        private readonly NamePool _names = new();
        private readonly Dictionary<EventKey, CommitEvent> _commits = [];
        private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);

        /// <summary>Adds one event; a later one of the same id replaces it.</summary>
        public void Add(IPeriscopeEvent value)
        {
            switch (value)
            {
                case AssistantMessageEvent m:
                    AddMessage(m.EventId, m.CreatedAt, new Usage(m.SessionId, default, false, m.Tokens.Input, m.Tokens.Output, m.Tokens.Reasoning, m.Tokens.CacheRead, m.Tokens.CacheWrite, m.CostUsd));
                    break;
                case CommitEvent commit:
                    _commits[EventKey.From(commit.EventId)] = commit;
                    break;
                case SessionEvent { ParentSessionId: { Length: > 0 } parent } session:
                    _parents[session.SessionId] = parent;
                    break;
            }
        }

        /// <summary>A message: when it began, and its usage keyed by its session.</summary>
        public void AddMessage(string eventId, DateTimeOffset start, Usage usage)
            => _messages[EventKey.From(eventId)] = new MessageFacts(start, usage with { Key = _names.Get(usage.Key)! });

        public Dictionary<string, Timeline>.ValueCollection Timelines()
        {
            var timelines = new Dictionary<string, Timeline>(StringComparer.Ordinal);
            Timeline Of(string session)
            {
                var top = Top(session);
                if (!timelines.TryGetValue(top, out var timeline))
                {
                    timelines[top] = timeline = new Timeline(top);
                }

                return timeline;
            }

            foreach (var message in _messages.Values)
            {
                Of(message.Usage.Key).Messages.Add(message);
            }

            // One row a commit. A sha reported by two sessions belongs to its maker, the one that saw
            // it inside its own bash call (docs/commit-detection.md, "No double counting"); else to
            // the first to see it.
            foreach (var commit in _commits.Values.GroupBy(c => c.Sha, StringComparer.Ordinal)
                .Select(g => g.OrderBy(c => c.Attribution == CommitAttribution.Tool ? 0 : 1).ThenBy(c => c.OccurredAt).First()))
            {
                Of(commit.SessionId).Commits.Add(commit);
            }

            return timelines.Values;
        }

        // Follows parent sessions up to the top one; a loop in damaged data stops where it closes.
        private string Top(string session)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal) { session };
            while (_parents.TryGetValue(session, out var parent) && seen.Add(parent))
            {
                session = parent;
            }

            return session;
        }
    }

    private sealed class Timeline(string session)
    {
        public List<MessageFacts> Messages { get; } = [];

        public List<CommitEvent> Commits { get; } = [];

        public IEnumerable<StatsRow> Rows()
        {
            Commits.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
            Messages.Sort((a, b) => a.Start.CompareTo(b.Start));
            var next = 0;
            foreach (var commit in Commits)
            {
                var row = new StatsRow(commit.Sha)
                {
                    Commit = new CommitFacts(commit.Sha, commit.Git?.RepoUrl ?? commit.Git?.RepoName, commit.Git?.Branch, session, commit.OccurredAt),
                    Commits = 1,
                };
                for (; next < Messages.Count && Messages[next].Start <= commit.OccurredAt; next++)
                {
                    row.Count(Messages[next].Usage);
                }

                yield return row;
            }
        }
    }

    // What a message adds to a commit (its usage keyed by its session) and when it began: not the parsed event.
    private readonly record struct MessageFacts(DateTimeOffset Start, Usage Usage);
}
