using System.Globalization;
using System.Text;

namespace Periscope.Stats;

/// <summary>
/// An event id as a set member: Periscope's own ids (32 hex digits) as a 128-bit number, any other
/// id as its text. A ledger of a million events then keeps 16 bytes an id, not a string.
/// </summary>
internal readonly record struct EventKey(UInt128 Number, string? Text)
{
    public static EventKey From(ReadOnlySpan<byte> utf8)
        => utf8.Length == 32 && UInt128.TryParse(utf8, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            ? new EventKey(number, null)
            : new EventKey(default, Encoding.UTF8.GetString(utf8));

    public static EventKey From(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return id.Length == 32 && UInt128.TryParse(id, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var number)
            ? new EventKey(number, null)
            : new EventKey(default, id);
    }
}
