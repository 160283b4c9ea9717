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
internal sealed record LedgerFacts(IReadOnlyList<MessageFact> Messages, IReadOnlyList<IPeriscopeEvent> Others, int CorruptLines, long LinesParsed)
{
    /// <summary>Every message as a fact, in ledger order, and every other event.</summary>
    public static LedgerFacts Load(StatePaths paths, NamePool names, Func<string, bool>? includeFile = null)
    {
        ArgumentNullException.ThrowIfNull(names);
        var messages = new List<MessageFact>();
        var others = new List<IPeriscopeEvent>();
        var (corrupt, parsed) = Visit(
            paths,
            includeFile,
            (in MessageRecord r, string?[] strings) => messages.Add(Fact(r, strings)),
            others.Add,
            names.Get);
        messages.Reverse();
        others.Reverse();
        return new LedgerFacts(messages, others, corrupt, parsed);
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
        var seenMessages = new EventKeySet();
        var seenOthers = new HashSet<EventKey>();
        var corrupt = 0;
        var parsed = 0L;
        foreach (var file in new LocalLedger(paths).Files().Where(f => includeFile?.Invoke(f) ?? true).Reverse())
        {
            LedgerIndex.FileFacts loaded;
            try
            {
                loaded = LedgerIndex.Load(file, paths.LedgerIndex);
            }
            catch (FileNotFoundException)
            {
                continue; // removed while listed
            }

            using var _ = loaded;
            var facts = loaded.Facts;
            parsed += loaded.LinesParsed;
            corrupt += facts.CorruptLines;
            var strings = facts.Strings.Select(pool ?? (s => s)).ToArray();
            seenMessages.EnsureCapacity(facts.MessageCount);
            facts.ReadMessages(lastFirst: true, chunk =>
            {
                for (var i = chunk.Length - 1; i >= 0; i--)
                {
                    ref readonly var r = ref chunk[i];
                    if (!Valid(r, strings.Length))
                    {
                        corrupt++; // a damaged index: counted like the line it stood for
                    }
                    else if (seenMessages.Add(new EventKey(r.Id, r.IdText < 0 ? null : strings[r.IdText])))
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
        var occurred = At(r.OccurredTicks, r.OccurredOffset);
        return new MessageFact(
            new EventKey(r.Id, S(r.IdText)),
            S(r.Session)!,
            S(r.Model)!,
            S(r.Provider)!,
            S(r.Agent),
            S(r.Repo),
            S(r.RepoName),
            S(r.Branch),
            occurred,
            At(r.CreatedTicks, r.CreatedOffset),
            At(r.CompletedTicks, r.CompletedOffset),
            new Usage(string.Empty, DateOnly.FromDateTime(occurred.UtcDateTime), false, r.Input, r.Output, r.Reasoning, r.CacheRead, r.CacheWrite, r.Cost),
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
