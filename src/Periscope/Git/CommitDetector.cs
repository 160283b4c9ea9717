using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// Finds the commits that landed on HEAD since this session last looked, from the HEAD reflog
/// (git's own timestamps, never this process's clock), and attributes each to a bash tool call
/// of the session when the reflog time falls inside its before/after window, else to the session.
/// The first look of a session only sets its starting position: earlier commits are not its own.
/// </summary>
internal sealed class CommitDetector(SessionStateStore store, CommitClaims claims)
{
    /// <summary>Tool windows older than this are dropped from the state.</summary>
    private const long WindowRetentionMs = 24L * 60 * 60 * 1000;

    /// <summary>The longest a bash tool call is taken to run when one end of its window is unknown.</summary>
    private const long MaxToolCallMs = 10L * 60 * 1000;

    /// <summary>Records the start of a bash tool call (tool.execute.before).</summary>
    public void ToolStarted(string sessionId, string callId, long time)
        => store.Update(sessionId, state =>
        {
            state ??= new SessionGitState();
            Window(state, callId).Start = time;
            return (state, 0);
        });

    /// <summary>Sets the session's starting position if it has none (its first sight: session.created).</summary>
    public void EnsureStart(RepositoryLocation repository, string sessionId, CommitObjects objects, GitContext context, long now)
    {
        if (!store.Exists(sessionId))
        {
            Detect(repository, sessionId, objects, context, now);
        }
    }

    /// <summary>
    /// Reads new reflog entries for the session. <paramref name="toolCallEnded"/> closes that call's
    /// window first (tool.execute.after); <paramref name="now"/> is the hook call's time (epoch ms).
    /// </summary>
    public IReadOnlyList<CommitEvent> Detect(RepositoryLocation repository, string sessionId, CommitObjects objects, GitContext context, long now, string? toolCallEnded = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(objects);
        return store.Update(sessionId, state =>
        {
            state ??= new SessionGitState();
            if (toolCallEnded is not null)
            {
                Window(state, toolCallEnded).End = now;
            }

            var path = ReflogReader.PathOf(repository);
            var length = ReflogReader.Length(path);
            var entries = state.GitDirectory == repository.GitDirectory ? NewEntries(state, path, length) : FirstLook(state, path);
            var events = new List<CommitEvent>();
            foreach (var entry in entries)
            {
                if (ToEvent(entry, sessionId, objects, context, state) is { } commit)
                {
                    events.Add(commit);
                }
            }

            Remember(state, repository, path, length, entries);
            foreach (var stale in state.ToolWindows.Where(w => (w.Value.End ?? w.Value.Start ?? 0) < now - WindowRetentionMs).Select(w => w.Key).ToList())
            {
                state.ToolWindows.Remove(stale);
            }

            return (state, (IReadOnlyList<CommitEvent>)events);
        });
    }

    // The session's first look at this repository: nothing before it is the session's, except what
    // happened inside a bash call already recorded (its before-hook may have come first).
    private static List<ReflogLine> FirstLook(SessionGitState state, string path)
    {
        var starts = state.ToolWindows.Values.Where(w => w.Start is not null).Select(w => w.Start!.Value / 1000).ToList();
        return starts.Count == 0 ? [] : ReflogReader.ReadFrom(path, 0).Where(e => e.Time >= starts.Min()).ToList();
    }

    // Entries after the remembered newest one, read from its line on. When the reflog was expired
    // or rewritten (shorter, or that line is gone), entries newer than its time are taken.
    private static List<ReflogLine> NewEntries(SessionGitState state, string path, long length)
    {
        if (length == state.ReflogLength)
        {
            return [];
        }

        if (length > state.ReflogLength && state.ReflogTopSha is not null)
        {
            var tail = ReflogReader.ReadFrom(path, state.ReflogTopOffset);
            if (tail.Count > 0 && tail[0].NewSha == state.ReflogTopSha && tail[0].Time == state.ReflogTopTime)
            {
                return tail.Skip(1).ToList();
            }
        }

        return ReflogReader.ReadFrom(path, 0).Where(e => e.Time > state.ReflogTopTime || state.ReflogTopSha is null).ToList();
    }

    private static void Remember(SessionGitState state, RepositoryLocation repository, string path, long length, List<ReflogLine> read)
    {
        state.GitDirectory = repository.GitDirectory;
        state.ReflogLength = length;
        var top = read.Count > 0 ? read[^1] : (state.ReflogTopSha is null && length > 0 ? LastLine(path) : null);
        if (top is { } line)
        {
            (state.ReflogTopOffset, state.ReflogTopSha, state.ReflogTopTime) = (line.Offset, line.NewSha, line.Time);
        }
    }

    // The newest line, read from the file's last few kilobytes rather than the whole of it.
    private static ReflogLine? LastLine(string path)
    {
        var length = ReflogReader.Length(path);
        for (var window = 4096L; ; window *= 4)
        {
            var from = Math.Max(0, length - window);
            var lines = ReflogReader.ReadFrom(path, from);
            if (from == 0 || lines.Count > 1)
            {
                return lines.Count > 0 ? lines[^1] : null;
            }
        }
    }

    private CommitEvent? ToEvent(ReflogLine entry, string sessionId, CommitObjects objects, GitContext context, SessionGitState state)
    {
        if (ReflogOperations.Classify(entry.Message) is not { } operation)
        {
            return null;
        }

        var attribution = InsideToolCall(state, entry.Time) ? CommitAttribution.Tool : CommitAttribution.Session;
        if (!claims.TryClaim(entry.NewSha, sessionId, attribution))
        {
            return null; // another session of this repository reported it
        }

        return Event(entry, operation, sessionId, attribution, objects, context);
    }

    /// <summary>
    /// The commit event of a reflog entry for a session, at git's time, with the commit's parents
    /// and size from its objects: what the hook reports, and what import reports for the past.
    /// </summary>
    public static CommitEvent Event(ReflogLine entry, CommitOperation operation, string sessionId, CommitAttribution attribution, CommitObjects objects, GitContext context)
    {
        ArgumentNullException.ThrowIfNull(objects);
        var diff = objects.Diff(entry.NewSha);
        return new CommitEvent
        {
            EventId = EventIds.For(CommitEvent.KindName, sessionId, entry.NewSha),
            OccurredAt = DateTimeOffset.FromUnixTimeSeconds(entry.Time),
            Client = ClientInfo.Event,
            SessionId = sessionId,
            Sha = entry.NewSha,

            // From the object when libgit2 can read it; else what the operation implies.
            ParentCount = objects.ParentCount(entry.NewSha) ?? (operation == CommitOperation.Merge ? 2 : 1),
            Operation = operation,
            Attribution = attribution,
            FilesChanged = diff?.Files,
            LinesAdded = diff?.LinesAdded,
            LinesRemoved = diff?.LinesRemoved,
            DiffPartial = diff?.Partial,
            Git = context,
        };
    }

    // Reflog times have one-second resolution: a window covers the seconds it touches. Hooks run
    // concurrently, so one end of a window may not be recorded yet: it is then taken as at most
    // MaxToolCallMs from the other (OpenCode's bash tool times out well before that).
    private static bool InsideToolCall(SessionGitState state, long seconds)
        => state.ToolWindows.Values.Any(w =>
        {
            if (w.Start is null && w.End is null)
            {
                return false;
            }

            var start = w.Start ?? (w.End!.Value - MaxToolCallMs);
            var end = w.End ?? (w.Start!.Value + MaxToolCallMs);
            return seconds >= start / 1000 && seconds <= (end + 999) / 1000;
        });

    private static ToolWindow Window(SessionGitState state, string callId)
    {
        if (!state.ToolWindows.TryGetValue(callId, out var window))
        {
            window = new ToolWindow();
            state.ToolWindows[callId] = window;
        }

        return window;
    }
}
