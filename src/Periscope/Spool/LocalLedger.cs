using System.Globalization;
using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// The local ledger: every delivered event (every event, in local mode) as one JSON line in
/// ledger/YYYY-MM.jsonl, by the month it occurred (UTC). A line may repeat after a crash between
/// append and spool delete; readers keep the last line of each event id.
/// </summary>
internal sealed class LocalLedger(StatePaths paths)
{
    /// <summary>Appends the events; returns the files written to.</summary>
    public IReadOnlyCollection<string> Append(IEnumerable<(IPeriscopeEvent Event, byte[] Json)> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        PrivateFiles.CreateDirectory(paths.Ledger);
        var streams = new Dictionary<string, FileStream>(StringComparer.Ordinal);
        try
        {
            foreach (var (value, json) in events)
            {
                var path = PathFor(value.OccurredAt);
                if (!streams.TryGetValue(path, out var stream))
                {
                    stream = PrivateFiles.OpenAppend(path, bufferSize: 64 * 1024);
                    streams.Add(path, stream);
                }

                stream.Write(json);
                stream.WriteByte((byte)'\n');
            }

            foreach (var stream in streams.Values)
            {
                stream.Flush();
            }
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw FileProblem.TooLarge(paths.Ledger, ex);
        }
        finally
        {
            foreach (var stream in streams.Values)
            {
                stream.Dispose();
            }
        }

        return streams.Keys;
    }

    /// <summary>Ledger files, oldest month first.</summary>
    public IReadOnlyList<string> Files()
        => Directory.Exists(paths.Ledger) ? Directory.GetFiles(paths.Ledger, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];

    private string PathFor(DateTimeOffset occurred)
        => Path.Combine(paths.Ledger, occurred.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture) + ".jsonl");
}
