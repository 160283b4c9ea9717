using System.Collections.Generic;
using Periscope.Generators.Model;

namespace Periscope.Generators.Json;

/// <summary>A parsed JSON value that remembers where it stood in the definition file.</summary>
internal abstract class JsonNode
{
    protected JsonNode(LocationInfo location) => Location = location;

    public LocationInfo Location { get; }

    public abstract string KindName { get; }
}

internal sealed class JsonObjectNode(LocationInfo location, IReadOnlyList<JsonPropertyNode> properties) : JsonNode(location)
{
    public IReadOnlyList<JsonPropertyNode> Properties { get; } = properties;

    public override string KindName => "an object";

    public JsonPropertyNode? Find(string name)
    {
        foreach (var property in Properties)
        {
            if (property.Name == name)
            {
                return property;
            }
        }

        return null;
    }
}

internal sealed class JsonPropertyNode(string name, LocationInfo nameLocation, JsonNode value)
{
    public string Name { get; } = name;

    public LocationInfo NameLocation { get; } = nameLocation;

    public JsonNode Value { get; } = value;
}

internal sealed class JsonArrayNode(LocationInfo location, IReadOnlyList<JsonNode> items) : JsonNode(location)
{
    public IReadOnlyList<JsonNode> Items { get; } = items;

    public override string KindName => "an array";
}

internal sealed class JsonStringNode(LocationInfo location, string value) : JsonNode(location)
{
    public string Value { get; } = value;

    public override string KindName => "a string";
}

internal sealed class JsonNumberNode(LocationInfo location, string text) : JsonNode(location)
{
    public string Text { get; } = text;

    public override string KindName => "a number";
}

internal sealed class JsonLiteralNode(LocationInfo location, bool? value) : JsonNode(location)
{
    /// <summary>true, false, or null for the JSON null literal.</summary>
    public bool? Value { get; } = value;

    public override string KindName => Value is null ? "null" : "a boolean";
}
