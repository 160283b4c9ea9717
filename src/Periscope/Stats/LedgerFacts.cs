using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Stats;

/// <summary>One message of the ledger as its record, with the strings its indexes name.</summary>
internal delegate void MessageVisitor(in MessageRecord record, string?[] strings);

/// <summary>
/// The ledger as stats and the report read it: every assistant message as a <see cref="MessageFact"/>
/// and every other event parsed, the last line of an event id winning (a line can repeat after a
/// crash between ledger append and spool delete). Each file's facts come from its
/// <see cref="LedgerIndex"/>, so only lines added since the last run are parsed.
/// </summary>
internal sealed record LedgerFacts(IReadOnlyList<MessageFact> Messages, IReadOnlyList<IPeriscopeEvent> Others, int CorruptLines, long LinesParsed, IReadOnlySet<EventKey> Found)
{
    /// <summary>
    /// Every message as a fact, in ledger order, and every other event; <see cref="Found"/> holds
    /// those of <paramref name="lookFor"/> that the ledger has.
    /// </summary>
    public static LedgerFacts Load(StatePaths paths, NamePool names, IReadOnlySet<EventKey>? lookFor = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var messages = new List<MessageFact>();
        var others = new List<IPeriscopeEvent>();
        var found = new HashSet<EventKey>();
        var (corrupt, parsed) = Visit(
            paths,
            includeFile: null,
            (in MessageRecord r, string?[] strings) =>
            {
                messages.Add(Fact(r, strings));
                if (lookFor is { Count: > 0 } && new EventKey(r.Id, r.IdText < 0 ? null : strings[r.IdText]) is var key && lookFor.Contains(key))
                {
                    found.Add(key);
                }
            },
            others.Add,
            names.Get);
        messages.Reverse();
        others.Reverse();
        found.UnionWith(others.Select(e => EventKey.From(e.EventId)).Where(k => lookFor?.Contains(k) == true));
        return new LedgerFacts(messages, others, corrupt, parsed, found);
    }

    /// <summary>
    /// Calls <paramref name="message"/> with each message's record (its strings from the array it
    /// is given) and <paramref name="other"/> with each other event, last line first, skipping the
    /// earlier lines of a repeated event id. Returns the count of corrupt lines and of lines parsed.
    /// </summary>
    public static (int Corrupt, long Parsed) Visit(
        StatePaths paths, Func<string, bool>? includeFile, MessageVisitor message, Action<IPeriscopeEvent> other, Func<string?, string?>? pool = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(other);
        var files = new List<(string Path, LedgerIndex.FileFacts Facts)>();
        try
        {
            foreach (var file in new LocalLedger(paths).Files().Where(f => includeFile?.Invoke(f) ?? true).Reverse())
            {
                try
                {
                    files.Add((file, LedgerIndex.Load(file, paths.LedgerIndex)));
                }
                catch (FileNotFoundException)
                {
                    // removed while listed
                }
            }

            return Visit(files, message, other, pool ?? (s => s));
        }
        finally
        {
            foreach (var (_, facts) in files)
            {
                facts.Dispose();
            }
        }
    }

    private static (int Corrupt, long Parsed) Visit(
        List<(string Path, LedgerIndex.FileFacts Facts)> files, MessageVisitor message, Action<IPeriscopeEvent> other, Func<string?, string?> pool)
    {
        // Only an id that occurs more than once needs remembering: the sorted ids of each file say
        // which do, most often none. Text ids (not Periscope's own) are few and always remembered.
        var repeated = Repeated(files.Select(f => f.Facts.Facts.SortedIds()).ToList());
        var seen = new HashSet<EventKey>();
        var seenOthers = new HashSet<EventKey>();
        var corrupt = 0;
        var parsed = 0L;
        foreach (var (file, loaded) in files)
        {
            var facts = loaded.Facts;
            parsed += loaded.LinesParsed;
            corrupt += facts.CorruptLines;
            var strings = facts.Strings.Select(pool).ToArray();
            facts.ReadMessages(lastFirst: true, chunk =>
            {
                for (var i = chunk.Length - 1; i >= 0; i--)
                {
                    ref readonly var r = ref chunk[i];
                    if (!Valid(r, strings.Length))
                    {
                        corrupt++; // a damaged index: counted like the line it stood for
                    }
                    else if (r.IdText >= 0 ? seen.Add(new EventKey(default, strings[r.IdText])) : !repeated.Contains(r.Id) || seen.Add(new EventKey(r.Id, null)))
                    {
                        message(r, strings);
                    }
                }
            });

            var events = new List<IPeriscopeEvent>();
            corrupt += ReadOthers(file, facts.Others, events.Add);
            for (var i = events.Count - 1; i >= 0; i--)
            {
                if (seenOthers.Add(EventKey.From(events[i].EventId)))
                {
                    other(events[i]);
                }
            }
        }

        return (corrupt, parsed);
    }

    // The ids that occur more than once, within a file's sorted ids or across files'.
    private static HashSet<UInt128> Repeated(List<UInt128[]> files)
    {
        var repeated = new HashSet<UInt128>();
        for (var f = 0; f < files.Count; f++)
        {
            var ids = files[f];
            for (var i = 1; i < ids.Length; i++)
            {
                if (ids[i] == ids[i - 1])
                {
                    repeated.Add(ids[i]);
                }
            }

            for (var g = f + 1; g < files.Count; g++)
            {
                var other = files[g];
                for (int i = 0, j = 0; i < ids.Length && j < other.Length;)
                {
                    if (ids[i] < other[j])
                    {
                        i++;
                    }
                    else if (ids[i] > other[j])
                    {
                        j++;
                    }
                    else
                    {
                        repeated.Add(ids[i]);
                        i++;
                        j++;
                    }
                }
            }
        }

        return repeated;
    }

    private static bool Valid(in MessageRecord m, int strings)
    {
        static bool Ok(int index, int count, bool optional) => index < count && (index >= 0 || (optional && index == -1));
        return Ok(m.IdText, strings, true) && Ok(m.Session, strings, false) && Ok(m.Model, strings, false) && Ok(m.Provider, strings, false)
            && Ok(m.Agent, strings, true) && Ok(m.Repo, strings, true) && Ok(m.RepoName, strings, true) && Ok(m.Branch, strings, true);
    }

    /// <summary>The fact a record stands for.</summary>
    public static MessageFact Fact(in MessageRecord r, string?[] strings)
    {
        string? S(int index) => index < 0 ? null : strings[index];
        return new MessageFact(
            S(r.Session)!,
            S(r.Model)!,
            S(r.Provider)!,
            S(r.Agent),
            S(r.Repo),
            S(r.RepoName),
            S(r.Branch),
            At(r.CreatedTicks, r.CreatedOffset),
            At(r.CompletedTicks, r.CompletedOffset),
            new Usage(string.Empty, DateOnly.FromDateTime(new DateTime(r.OccurredTicks, DateTimeKind.Utc)), false, r.Input, r.Output, r.Reasoning, r.CacheRead, r.CacheWrite, r.Cost),
            Queued: false);
    }

    private static DateTimeOffset At(long utcTicks, short offsetMinutes)
    {
        var offset = TimeSpan.FromMinutes(offsetMinutes);
        return new DateTimeOffset(utcTicks + offset.Ticks, offset);
    }

    // The events other than messages, read again from their lines (a few per session); a line that
    // no longer reads as an event (the file changed under the index) counts as corrupt.
    private static int ReadOthers(string file, List<LineSpan> spans, Action<IPeriscopeEvent> each)
    {
        if (spans.Count == 0)
        {
            return 0;
        }

        var corrupt = 0;
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        var buffer = new byte[spans.Max(s => s.Length)];
        foreach (var span in spans)
        {
            var line = buffer.AsSpan(0, span.Length);
            if (RandomAccess.Read(stream.SafeFileHandle, line, span.Offset) == span.Length && EventJson.Read(line).Event is { } read)
            {
                each(read);
            }
            else
            {
                corrupt++;
            }
        }

        return corrupt;
    }
}
