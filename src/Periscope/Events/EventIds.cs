using System.Text;

namespace Periscope.Events;

/// <summary>
/// Deterministic event ids: the same source facts give the same id, so a repeated hook call
/// overwrites its spool file and the server dedupes on it.
/// </summary>
internal static class EventIds
{
    /// <summary>32 lowercase hex characters: the first 128 bits of SHA-256 over the kind and the parts.</summary>
    public static string For(string kind, params ReadOnlySpan<string?> parts)
    {
        var text = new StringBuilder(kind);
        foreach (var part in parts)
        {
            // Unit separator: no id or title part can be confused with a neighbour.
            text.Append('\u001f').Append(part);
        }

        Span<byte> hash = stackalloc byte[Sha256.HashSizeInBytes];
        Sha256.HashData(Encoding.UTF8.GetBytes(text.ToString()), hash);
        return Convert.ToHexStringLower(hash[..16]);
    }
}
