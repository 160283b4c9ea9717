namespace Periscope.Generators.Model;

/// <summary>One field of an event, the envelope or an object, as declared in the definition.</summary>
/// <param name="JsonName">snake_case name on the wire.</param>
/// <param name="PropertyName">PascalCase C# property name.</param>
/// <param name="TypeName">The declared type: a primitive name, an object name or an enum name.</param>
/// <param name="Kind">Resolved wire type; <see cref="FieldKind.Unresolved"/> until the bind step.</param>
/// <param name="Required">True when the field must be present.</param>
/// <param name="MaxLength">Longest allowed string, in Unicode code points.</param>
/// <param name="Minimum">Smallest allowed number.</param>
/// <param name="Description">One line for docs, XML comments and the schema.</param>
/// <param name="TypeLocation">Where the type is named, for PSC0002.</param>
/// <param name="Otel">The OpenTelemetry attribute the field becomes; "[]" at the end: a one-element string array. Null: not exported.</param>
/// <param name="OtelAdd">int64 sibling fields added to this one's value in its attribute (cached tokens into input tokens).</param>
public sealed record FieldSpec(
    string JsonName,
    string PropertyName,
    string TypeName,
    FieldKind Kind,
    bool Required,
    int? MaxLength,
    long? Minimum,
    string Description,
    LocationInfo TypeLocation,
    string? Otel = null,
    ImmutableEquatableArray<string>? OtelAdd = null)
{
    /// <summary>The attribute name without the array marker.</summary>
    public string? OtelName => Otel is { } name && name.EndsWith("[]", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 2) : Otel;

    /// <summary>True when the attribute is a one-element string array.</summary>
    public bool OtelIsArray => Otel is { } name && name.EndsWith("[]", System.StringComparison.Ordinal);

    public bool IsValueType => Kind is FieldKind.Int64 or FieldKind.Decimal or FieldKind.Bool or FieldKind.Timestamp or FieldKind.Enum;
}
