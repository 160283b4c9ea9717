using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Spool;

/// <summary>
/// Puts one event in the spool atomically: written whole to spool/tmp, then renamed to
/// spool/&lt;event_id&gt;.json. A repeat of the same event replaces the file, never adds one.
/// </summary>
internal sealed class SpoolWriter(StatePaths paths)
{
    /// <summary>spool/&lt;event_id&gt;.json: where an event waits while it is in the spool.</summary>
    public static string PathOf(StatePaths paths, string eventId) => Path.Combine(paths.Spool, eventId + ".json");

    /// <summary>Writes the event and returns the spool file's path.</summary>
    /// <exception cref="IOException">The spool cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">The state directory is not writable.</exception>
    public string Write(IPeriscopeEvent value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = EventJson.Serialize(value);
        PrivateFiles.CreateDirectory(paths.SpoolTemp);

        // A name of its own per write: two hooks writing the same event never share a temp file.
        var temp = Path.Combine(paths.SpoolTemp, $"{value.EventId}.{Guid.NewGuid():N}.json");
        var target = PathOf(paths, value.EventId);
        try
        {
            using (var stream = new FileStream(temp, PrivateFiles.NewFile(FileMode.Create, bufferSize: 0)))
            {
                stream.Write(bytes);
            }

            File.Move(temp, target, overwrite: true);
            return target;
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A stale temp file is harmless: only spool/*.json files are events.
        }
    }
}
