using System.Text.Json;
using Periscope.Platform;

namespace Periscope.Delivery;

/// <summary>
/// Reads and writes a sink's state file atomically (temp file, then rename): status.json for the
/// ingest or local mode, status-&lt;sink&gt;.json for another sink (an OTLP receiver).
/// </summary>
internal sealed class DeliveryStateStore(StatePaths paths, string? sink = null)
{
    /// <summary>The state file of <paramref name="sink"/> (null: the ingest's or local mode's, status.json).</summary>
    public static string PathFor(StatePaths paths, string? sink)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return sink is null ? paths.Status : Path.Combine(paths.Root, $"status-{sink}.json");
    }

    public DeliveryState Load()
    {
        try
        {
            var file = PathFor(paths, sink);
            return File.Exists(file)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(file), DeliveryStateJsonContext.Default.DeliveryState) ?? new DeliveryState()
                : new DeliveryState();
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return new DeliveryState(); // a damaged file forgets the back-off, which costs one round of requests
        }
    }

    public void Save(DeliveryState state)
    {
        PrivateFiles.CreateDirectory(paths.Root);
        PrivateFiles.WriteAtomically(PathFor(paths, sink), stream => JsonSerializer.Serialize(stream, state, DeliveryStateJsonContext.Default.DeliveryState));
        if (sink is not null)
        {
            return; // sign-in is the ingest's
        }

        // The hook asks only "is a sign-in needed?", and should not parse status.json to know.
        if (state.SignIn == "needs_login")
        {
            File.WriteAllBytes(paths.NeedsLogin, []);
        }
        else
        {
            File.Delete(paths.NeedsLogin);
        }
    }
}
