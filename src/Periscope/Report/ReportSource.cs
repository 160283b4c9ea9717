using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.Stats;

namespace Periscope.Report;

/// <summary>
/// What a report is drawn from: the ledger (the last line of an event id winning) and the events
/// still waiting in the spool, which are marked as such. Reads only; a damaged line or spool file
/// is counted, never moved.
/// </summary>
internal sealed record ReportSource(IReadOnlyList<IPeriscopeEvent> Events, IReadOnlySet<string> Queued, int CorruptLines)
{
    public static ReportSource Load(StatePaths paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var events = new Dictionary<string, IPeriscopeEvent>(StringComparer.Ordinal);
        var corrupt = 0;
        foreach (var file in new LocalLedger(paths).Files())
        {
            corrupt += LedgerBlocks.ReadEvents(file, read => events[read.EventId] = read);
        }

        // A spool file whose event the ledger has already (a crash between the two) is not queued.
        var queued = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in new SpoolReader(paths).Pending())
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue; // delivered and removed while this listing was read
            }

            if (EventJson.Read(bytes).Event is not { } read)
            {
                corrupt++;
            }
            else if (events.TryAdd(read.EventId, read))
            {
                queued.Add(read.EventId);
            }
        }

        return new ReportSource([.. events.Values], queued, corrupt);
    }

    /// <summary>Only the messages and commits of one repository, named by its name or its URL; sessions stay, for their titles.</summary>
    public ReportSource ForRepository(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        bool Matches(GitContext? git)
            => git is not null
               && (string.Equals(git.RepoName, name, StringComparison.OrdinalIgnoreCase)
                   || string.Equals(git.RepoUrl, name, StringComparison.OrdinalIgnoreCase));
        return this with
        {
            Events = [.. Events.Where(e => e switch
            {
                AssistantMessageEvent m => Matches(m.Git),
                CommitEvent c => Matches(c.Git),
                _ => true,
            })],
        };
    }
}
