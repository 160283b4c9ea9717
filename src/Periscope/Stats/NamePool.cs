namespace Periscope.Stats;

/// <summary>
/// One string per distinct value (session ids, model names), however many ledger lines name it:
/// a report over a million events keeps thousands of strings, not millions.
/// </summary>
internal sealed class NamePool
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);

    public string? Get(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (!_names.TryGetValue(value, out var name))
        {
            _names[value] = name = value;
        }

        return name;
    }
}
