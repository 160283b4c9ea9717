using Periscope.Events;
using Periscope.Platform;

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
    public static StatsReport Report(StatePaths paths, DateOnly? since, DateOnly? until)
    {
        var ledger = LedgerFacts.Load(paths, new NamePool());
        var rows = Attribute(ledger.Messages, ledger.Others).Where(row => InPeriod(row, since, until)).ToList();
        var totals = new StatsRow("total");
        foreach (var row in rows)
        {
            totals.Add(row);
        }

        var share = CommitShare.Measure(paths, ledger.Others.OfType<CommitEvent>(), since, until);
        return new StatsReport(StatsGrouping.Commit, rows, totals, ledger.CorruptLines, share);
    }

    /// <summary>Every commit among <paramref name="events"/> with the cost that led to it, oldest first.</summary>
    public static List<StatsRow> Attribute(IEnumerable<IPeriscopeEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var last = new Dictionary<EventKey, IPeriscopeEvent>();
        foreach (var e in events)
        {
            last[EventKey.From(e.EventId)] = e;
        }

        var ledgerEvents = new LedgerEvents();
        foreach (var e in last.Values)
        {
            ledgerEvents.Add(e);
        }

        return Rows(ledgerEvents, ledgerEvents.Messages);
    }

    /// <summary>The same from what a report keeps of each message (each event id once), and the commits and sessions.</summary>
    public static List<StatsRow> Attribute(IEnumerable<MessageFact> messages, IEnumerable<IPeriscopeEvent> commitsAndSessions)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(commitsAndSessions);
        var ledgerEvents = new LedgerEvents();
        foreach (var e in commitsAndSessions)
        {
            ledgerEvents.Add(e);
        }

        return Rows(ledgerEvents, messages.Select(m => new MessageFacts(m.CreatedAt, m.Usage with { Key = m.Session })));
    }

    public static bool InPeriod(StatsRow row, DateOnly? since, DateOnly? until)
    {
        ArgumentNullException.ThrowIfNull(row);
        var day = DateOnly.FromDateTime(row.Commit!.At.UtcDateTime);
        return (since is null || day >= since) && (until is null || day < until);
    }

    private static List<StatsRow> Rows(LedgerEvents ledgerEvents, IEnumerable<MessageFacts> messages)
    {
        var rows = ledgerEvents.Timelines(messages).SelectMany(timeline => timeline.Rows()).ToList();
        rows.Sort((a, b) => a.Commit!.At.CompareTo(b.Commit!.At) is var byTime and not 0 ? byTime : string.CompareOrdinal(a.Key, b.Key));
        return rows;
    }

    /// <summary>The ledger's messages, commits and session parents, each event id once.</summary>
    private sealed class LedgerEvents
    {
        private readonly List<MessageFacts> _messages = [];
        private readonly NamePool _names = new();
        private readonly Dictionary<EventKey, CommitEvent> _commits = [];
        private readonly Dictionary<string, string> _parents = new(StringComparer.Ordinal);

        /// <summary>Adds one event; a later commit of the same id replaces it.</summary>
        public void Add(IPeriscopeEvent value)
        {
            switch (value)
            {
                case AssistantMessageEvent m:
                    _messages.Add(new MessageFacts(m.CreatedAt, new Usage(_names.Get(m.SessionId)!, default, false, m.Tokens.Input, m.Tokens.Output, m.Tokens.Reasoning, m.Tokens.CacheRead, m.Tokens.CacheWrite, m.CostUsd)));
                    break;
                case CommitEvent commit:
                    _commits[EventKey.From(commit.EventId)] = commit;
                    break;
                case SessionEvent { ParentSessionId: { Length: > 0 } parent } session:
                    _parents[session.SessionId] = parent;
                    break;
            }
        }


        /// <summary>The messages added one by one (<see cref="Add"/>).</summary>
        public List<MessageFacts> Messages => _messages;

        /// <summary>
        /// The timelines that have a commit, with those of <paramref name="messages"/> that belong to
        /// them: a session that made no commit costs nothing here.
        /// </summary>
        public Dictionary<string, Timeline>.ValueCollection Timelines(IEnumerable<MessageFacts> messages)
        {
            var timelines = new Dictionary<string, Timeline>(StringComparer.Ordinal);

            // One row a commit. A sha reported by two sessions belongs to its maker, the one that saw
            // it inside its own bash call (docs/commit-detection.md, "No double counting"); else to
            // the first to see it, a hook's sighting before an import's.
            foreach (var commit in _commits.Values.GroupBy(c => c.Sha, StringComparer.Ordinal)
                .Select(g => g.OrderBy(c => c.Attribution switch { CommitAttribution.Tool => 0, CommitAttribution.Session => 1, _ => 2 }).ThenBy(c => c.OccurredAt).First()))
            {
                var top = Top(commit.SessionId);
                if (!timelines.TryGetValue(top, out var timeline))
                {
                    timelines[top] = timeline = new Timeline(top);
                }

                timeline.Commits.Add(commit);
            }

            if (timelines.Count == 0)
            {
                return timelines.Values;
            }

            var tops = new Dictionary<string, Timeline?>(StringComparer.Ordinal);
            foreach (var message in messages)
            {
                var session = message.Usage.Key;
                if (!tops.TryGetValue(session, out var timeline))
                {
                    tops[session] = timeline = timelines.GetValueOrDefault(Top(session));
                }

                timeline?.Messages.Add(message);
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
                    Commit = new CommitFacts(
                        commit.Sha, commit.Git?.RepoUrl ?? commit.Git?.RepoName, commit.Git?.Branch, session, commit.OccurredAt,
                        commit.FilesChanged, commit.LinesAdded, commit.LinesRemoved, commit.DiffPartial),
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
