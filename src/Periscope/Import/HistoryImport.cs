using System.Text.Json;
using Periscope.Capture;
using Periscope.Events;
using Periscope.Git;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.Stats;

namespace Periscope.Import;

/// <summary>What an import found: the events it would add and what it counted on the way.</summary>
internal sealed class ImportPlan
{
    /// <summary>Events Periscope does not have yet, oldest first.</summary>
    public List<IPeriscopeEvent> Events { get; } = [];

    public int Sessions { get; set; }

    public int Subagents { get; set; }

    public int Messages { get; set; }

    public int Commits { get; set; }

    public decimal CostUsd { get; set; }

    public DateTimeOffset? First { get; set; }

    public DateTimeOffset? Last { get; set; }

    public HashSet<string> Repositories { get; } = new(StringComparer.Ordinal);

    /// <summary>The git directories the imported messages were made in: repositories Periscope has now seen.</summary>
    public HashSet<string> GitDirectories { get; } = new(StringComparer.Ordinal);

    /// <summary>Messages and sessions Periscope already has (from its hook or an earlier import).</summary>
    public int AlreadyRecorded { get; set; }

    /// <summary>Messages OpenCode recorded without what an event needs (a model, a provider), or unreadable: why, and how many.</summary>
    public Dictionary<string, int> Skipped { get; } = new(StringComparer.Ordinal);

    /// <summary>Assistant messages not finished (still running, or cut off): not events, as the hook makes none for them.</summary>
    public int Unfinished { get; set; }
}

/// <summary>
/// Turns OpenCode's own records into the events the hook would have made, with the same ids: a
/// message's event through the very extractor the hook uses, so a message both imported and
/// captured is one event. What Periscope already holds (ledger or spool) is left out, so a second
/// import adds nothing and never replaces what the hook recorded at the time. Git facts come from
/// each repository as it is now (<c>read_at_import</c>); a session's commits from the reflog
/// entries inside its lifetime (attribution <c>import</c>), for sessions the hook never saw.
/// </summary>
internal sealed class HistoryImport(StatePaths paths, Func<string, string?> getVariable, TimeProvider time)
{
    private readonly OpenCodeExtractor _extractor = new(time);
    private readonly Dictionary<string, RepositoryLocation?> _repositories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, GitContext> _contexts = new(StringComparer.Ordinal);

    public ImportPlan Plan(OpenCodeDatabase database, DateOnly? since)
    {
        ArgumentNullException.ThrowIfNull(database);
        var sinceMs = since is { } day ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds() : 0;
        var sessions = database.Sessions().ToDictionary(s => s.Id, StringComparer.Ordinal);
        var plan = new ImportPlan();
        var candidates = new List<IPeriscopeEvent>();
        var windows = new Dictionary<string, SessionWindow>(StringComparer.Ordinal);
        database.Messages(sinceMs, (id, sessionId, data) =>
        {
            if (Message(id, sessionId, data, database.Layout, sessions.GetValueOrDefault(sessionId), plan) is { } message)
            {
                candidates.Add(message);
                var window = Window(windows, sessionId);
                window.Last = Math.Max(window.Last, message.CompletedAt.ToUnixTimeMilliseconds());
                window.Messages++;
            }
        });

        foreach (var session in sessions.Values.Where(s => windows.ContainsKey(s.Id) || s.Updated >= sinceMs))
        {
            if (Session(session) is { } value)
            {
                candidates.Add(value);
                var window = Window(windows, session.Id);
                window.Session = session;
            }

            if (Totals(session) is { } totals)
            {
                candidates.Add(totals);
            }
        }

        var known = Known(candidates);
        foreach (var value in candidates)
        {
            if (known.Ids.Contains(EventKey.From(value.EventId)))
            {
                plan.AlreadyRecorded++;
                continue;
            }

            plan.Events.Add(value);
            Count(plan, value);
        }

        foreach (var commit in Commits(windows, known, sinceMs / 1000))
        {
            plan.Events.Add(commit);
            Count(plan, commit);
        }

        plan.Events.Sort((a, b) => a.OccurredAt.CompareTo(b.OccurredAt));
        return plan;
    }

    private AssistantMessageEvent? Message(string id, string sessionId, ReadOnlySpan<byte> data, OpenCodeLayout layout, StoredSession? session, ImportPlan plan)
    {
        EventInfo info;
        try
        {
            // OpenCode 2 keeps the role in the row's type (only assistant rows are read), 1.18 in its data.
            info = HookEnvelopeReader.ReadInfo(data, id, sessionId, layout == OpenCodeLayout.V2 ? "assistant" : null);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            Skip(plan, "unreadable message data (not the JSON OpenCode writes)");
            return null;
        }

        if (info.Role != "assistant")
        {
            return null;
        }

        var envelope = new HookEnvelope { Hook = "event", Event = new BusEvent { Type = "message.updated", Properties = new BusEventProperties { Info = info } } };
        var extraction = _extractor.Extract(envelope);
        if (extraction.Event is not AssistantMessageEvent message)
        {
            if (extraction.IsProblem)
            {
                Skip(plan, extraction.Reason);
            }
            else
            {
                plan.Unfinished++;
            }

            return null;
        }

        if (Repository(info.Path?.Cwd ?? info.Path?.Root ?? session?.Directory) is not { } repository)
        {
            return message;
        }

        plan.GitDirectories.Add(repository.GitDirectory);
        return message with { Git = Context(repository) };
    }

    private SessionEvent? Session(StoredSession session)
    {
        var info = new EventInfo
        {
            Id = session.Id,
            Title = session.Title,
            ParentId = session.ParentId,
            ProjectId = session.ProjectId,
            Directory = session.Directory,
            Time = new EventTimes { Created = session.Created, Updated = session.Updated },
        };
        var envelope = new HookEnvelope { Hook = "event", Event = new BusEvent { Type = "session.updated", Properties = new BusEventProperties { Info = info } } };
        if (_extractor.Extract(envelope).Event is not SessionEvent value)
        {
            return null;
        }

        return Repository(session.Directory) is { } repository ? value with { Git = Context(repository) } : value;
    }

    // OpenCode 2's totals of the session, as the hook's idle envelope carries them: the same
    // counts give the same event id, so totals the hook saw are not imported again.
    private SessionUsageEvent? Totals(StoredSession session)
    {
        if (session.Totals is not { } t || (t.Cost == 0 && t.Input + t.Output + t.Reasoning + t.CacheRead + t.CacheWrite == 0))
        {
            return null; // OpenCode 1.18's sessions, or nothing spent yet
        }

        var info = new EventInfo
        {
            SessionId = session.Id,
            Cost = t.Cost,
            Tokens = new TokenCounts { Input = t.Input, Output = t.Output, Reasoning = t.Reasoning, Cache = new CacheCounts { Read = t.CacheRead, Write = t.CacheWrite } },
            Time = new EventTimes { Updated = session.Updated },
        };
        var envelope = new HookEnvelope { Hook = "event", Event = new BusEvent { Type = "session.idle", Properties = new BusEventProperties { SessionId = session.Id, Info = info } } };
        return _extractor.Extract(envelope).Event as SessionUsageEvent;
    }

    // Commits from each repository's reflog: an entry that put a commit on HEAD while an imported
    // session was open (its creation to its last finished message) is that session's; where two
    // were open, the one started last (a sub-agent rather than its parent). Sessions the hook saw
    // keep what the hook detected, and a sha Periscope already has is not reported again.
    private IEnumerable<CommitEvent> Commits(Dictionary<string, SessionWindow> windows, KnownEvents known, long sinceSeconds)
    {
        var byRepository = windows.Values
            .Where(w => w.Session is not null && w.Messages > 0 && !known.Sessions.Contains(w.Session.Id))
            .Select(w => (Window: w, Repository: Repository(w.Session!.Directory)))
            .Where(p => p.Repository is not null)
            .GroupBy(p => p.Repository!.GitDirectory, StringComparer.Ordinal);
        foreach (var group in byRepository)
        {
            var repository = group.First().Repository!;
            var open = group.Select(p => p.Window).OrderByDescending(w => w.Session!.Created).ToList();
            var git = Context(repository);
            using var objects = new CommitObjects(repository, paths);
            foreach (var entry in ReflogReader.ReadFrom(ReflogReader.PathOf(repository), 0))
            {
                if (entry.Time < sinceSeconds || ReflogOperations.Classify(entry.Message) is not { } operation || known.Shas.Contains(entry.NewSha))
                {
                    continue;
                }

                var owner = open.FirstOrDefault(w => entry.Time >= w.Session!.Created / 1000 && entry.Time <= (w.Last + 999) / 1000);
                if (owner is null)
                {
                    continue;
                }

                known.Shas.Add(entry.NewSha);
                yield return CommitDetector.Event(entry, operation, owner.Session!.Id, CommitAttribution.Import, objects, git);
            }
        }
    }

    // The event ids among the candidates that the ledger or the spool already holds, the sessions
    // the ledger has any event of, and every commit sha it has.
    private KnownEvents Known(List<IPeriscopeEvent> candidates)
    {
        var wanted = candidates.Select(e => EventKey.From(e.EventId)).ToHashSet();
        var known = new KnownEvents();
        LedgerFacts.Visit(
            paths,
            includeFile: null,
            (in MessageRecord r, string?[] strings) =>
            {
                var key = new EventKey(r.Id, r.IdText < 0 ? null : strings[r.IdText]);
                if (wanted.Contains(key))
                {
                    known.Ids.Add(key);
                }

                if (r.Session >= 0 && strings[r.Session] is { } session)
                {
                    known.Sessions.Add(session);
                }
            },
            value =>
            {
                var key = EventKey.From(value.EventId);
                if (wanted.Contains(key))
                {
                    known.Ids.Add(key);
                }

                switch (value)
                {
                    case CommitEvent commit:
                        known.Shas.Add(commit.Sha);
                        known.Sessions.Add(commit.SessionId);
                        break;
                    case AssistantMessageEvent message:
                        known.Sessions.Add(message.SessionId);
                        break;
                }
            });
        foreach (var value in candidates)
        {
            if (File.Exists(SpoolWriter.PathOf(paths, value.EventId)))
            {
                known.Ids.Add(EventKey.From(value.EventId));
                if (value is AssistantMessageEvent message)
                {
                    known.Sessions.Add(message.SessionId);
                }
            }
        }

        return known;
    }

    private GitContext Context(RepositoryLocation repository)
    {
        if (!_contexts.TryGetValue(repository.GitDirectory, out var context))
        {
            context = GitContextReader.Read(repository) with { ReadAtImport = true };
            _contexts[repository.GitDirectory] = context;
        }

        return context;
    }

    // The repository a recorded directory is in, when it is an absolute path that still exists.
    private RepositoryLocation? Repository(string? directory)
    {
        if (directory is not { Length: > 0 } || !Path.IsPathRooted(directory))
        {
            return null;
        }

        if (!_repositories.TryGetValue(directory, out var repository))
        {
            repository = Directory.Exists(directory) ? RepositoryLocator.Find(directory, getVariable) : null;
            _repositories[directory] = repository;
        }

        return repository;
    }

    private static SessionWindow Window(Dictionary<string, SessionWindow> windows, string sessionId)
    {
        if (!windows.TryGetValue(sessionId, out var window))
        {
            windows[sessionId] = window = new SessionWindow();
        }

        return window;
    }

    private static void Count(ImportPlan plan, IPeriscopeEvent value)
    {
        switch (value)
        {
            case AssistantMessageEvent message:
                plan.Messages++;
                plan.CostUsd += message.CostUsd;
                break;
            case SessionEvent session:
                plan.Sessions++;
                plan.Subagents += session.IsSubagent == true ? 1 : 0;
                break;
            case CommitEvent:
                plan.Commits++;
                break;
        }

        if (value is AssistantMessageEvent or CommitEvent)
        {
            plan.First = plan.First is { } first && first <= value.OccurredAt ? first : value.OccurredAt;
            plan.Last = plan.Last is { } last && last >= value.OccurredAt ? last : value.OccurredAt;
        }

        var git = value switch
        {
            AssistantMessageEvent m => m.Git,
            SessionEvent s => s.Git,
            CommitEvent c => c.Git,
            _ => null,
        };
        if ((git?.RepoUrl ?? git?.RepoName) is { } repo)
        {
            plan.Repositories.Add(repo);
        }
    }

    private static void Skip(ImportPlan plan, string reason) => plan.Skipped[reason] = plan.Skipped.GetValueOrDefault(reason) + 1;

    private sealed class SessionWindow
    {
        public StoredSession? Session;
        public long Last;
        public int Messages;
    }

    private sealed class KnownEvents
    {
        public HashSet<EventKey> Ids { get; } = [];

        public HashSet<string> Sessions { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Shas { get; } = new(StringComparer.Ordinal);
    }
}
