using System.Text.Json;
using Periscope.Platform;

namespace Periscope.Delivery;

/// <summary>Reads and writes status.json atomically (temp file, then rename).</summary>
internal sealed class DeliveryStateStore(StatePaths paths)
{
    public DeliveryState Load()
    {
        try
        {
            return File.Exists(paths.Status)
                ? JsonSerializer.Deserialize(File.ReadAllBytes(paths.Status), DeliveryStateJsonContext.Default.DeliveryState) ?? new DeliveryState()
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
        PrivateFiles.WriteAtomically(paths.Status, stream => JsonSerializer.Serialize(stream, state, DeliveryStateJsonContext.Default.DeliveryState));

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
