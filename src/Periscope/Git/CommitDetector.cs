using LibGit2Sharp;
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
    public void EnsureStart(Repository repository, string gitDirectory, string sessionId, GitContext context, long now)
    {
        if (!store.Exists(sessionId))
        {
            Detect(repository, gitDirectory, sessionId, context, now);
        }
    }

    /// <summary>
    /// Reads new reflog entries for the session. <paramref name="toolCallEnded"/> closes that call's
    /// window first (tool.execute.after); <paramref name="now"/> is the hook call's time (epoch ms).
    /// </summary>
    public IReadOnlyList<CommitEvent> Detect(Repository repository, string gitDirectory, string sessionId, GitContext context, long now, string? toolCallEnded = null)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return store.Update(sessionId, state =>
        {
            var entries = repository.Refs.Log("HEAD").ToList(); // newest first
            state ??= new SessionGitState();
            if (toolCallEnded is not null)
            {
                Window(state, toolCallEnded).End = now;
            }

            var candidates = state.GitDirectory == gitDirectory ? NewEntries(state, entries) : FirstLook(state, entries);
            state.GitDirectory = gitDirectory;
            var events = candidates
                .Select(entry => ToEvent(repository, entry, sessionId, context, state))
                .OfType<CommitEvent>()
                .ToList();

            state.ReflogCount = entries.Count;
            state.ReflogTopSha = entries.FirstOrDefault()?.To.Sha;
            state.ReflogTopTime = entries.FirstOrDefault()?.Committer.When.ToUnixTimeSeconds() ?? 0;
            foreach (var stale in state.ToolWindows.Where(w => (w.Value.End ?? w.Value.Start ?? 0) < now - WindowRetentionMs).Select(w => w.Key).ToList())
            {
                state.ToolWindows.Remove(stale);
            }

            return (state, (IReadOnlyList<CommitEvent>)events);
        });
    }

    // The session's first look at this repository: nothing before it is the session's, except what
    // happened inside a bash call already recorded (its before-hook may have come first).
    private static IEnumerable<ReflogEntry> FirstLook(SessionGitState state, List<ReflogEntry> entries)
    {
        var starts = state.ToolWindows.Values.Where(w => w.Start is not null).Select(w => w.Start!.Value / 1000).ToList();
        return starts.Count == 0 ? [] : entries.Where(e => e.Committer.When.ToUnixTimeSeconds() >= starts.Min()).Reverse();
    }

    // Entries after the remembered top, oldest first. When the reflog was expired or rewritten and
    // the top is gone, entries newer than its time are taken.
    private static IEnumerable<ReflogEntry> NewEntries(SessionGitState state, List<ReflogEntry> entries)
    {
        var added = entries.Count - state.ReflogCount;
        if (added >= 0 && added < entries.Count && entries[added].To.Sha == state.ReflogTopSha
            && entries[added].Committer.When.ToUnixTimeSeconds() == state.ReflogTopTime)
        {
            return entries.Take(added).Reverse();
        }

        if (state.ReflogCount == 0 && state.ReflogTopSha is null)
        {
            return Enumerable.Reverse(entries); // the reflog was empty (unborn HEAD) at the last look
        }

        return entries.Where(e => e.Committer.When.ToUnixTimeSeconds() > state.ReflogTopTime).Reverse();
    }

    private CommitEvent? ToEvent(Repository repository, ReflogEntry entry, string sessionId, GitContext context, SessionGitState state)
    {
        if (ReflogOperations.Classify(entry.Message) is not { } operation || repository.Lookup<Commit>(entry.To) is not { } commit)
        {
            return null;
        }

        var when = entry.Committer.When;
        var attribution = InsideToolCall(state, when.ToUnixTimeSeconds()) ? CommitAttribution.Tool : CommitAttribution.Session;
        if (!claims.TryClaim(commit.Sha, sessionId, attribution))
        {
            return null; // another session of this repository reported it
        }

        return new CommitEvent
        {
            EventId = Capture.EventIds.For(CommitEvent.KindName, sessionId, commit.Sha),
            OccurredAt = when.ToUniversalTime(),
            Client = ClientInfo.Event,
            SessionId = sessionId,
            Sha = commit.Sha,
            ParentCount = commit.Parents.Count(),
            Operation = operation,
            Attribution = attribution,
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
