using Periscope.Events;

namespace Periscope.Delivery.Otlp;

/// <summary>
/// The attributes of one record, resource or data point, in the order written. Values are a
/// string, a one-element string array (<see cref="OneOf"/>), a long, a double or a bool.
/// </summary>
internal sealed class OtelAttributes : IOtelAttributeWriter
{
    private readonly List<KeyValuePair<string, object>> _items = [];

    public IReadOnlyList<KeyValuePair<string, object>> Items => _items;

    public void WriteString(string key, string value) => Set(key, value);

    public void WriteStringArray(string key, string value) => Set(key, new OneOf(value));

    public void WriteInt64(string key, long value) => Set(key, value);

    public void WriteDouble(string key, double value) => Set(key, value);

    public void WriteBool(string key, bool value) => Set(key, value);

    /// <summary>The value of <paramref name="key"/>, or null.</summary>
    public object? Get(string key) => _items.Find(i => i.Key == key).Value;

    /// <summary>Adds the attribute, or replaces a value of the same key (a later source wins).</summary>
    public void Set(string key, object value)
    {
        var index = _items.FindIndex(i => i.Key == key);
        if (index >= 0)
        {
            _items[index] = new(key, value);
        }
        else
        {
            _items.Add(new(key, value));
        }
    }

    /// <summary>A string array of one element.</summary>
    internal sealed record OneOf(string Value);
}
