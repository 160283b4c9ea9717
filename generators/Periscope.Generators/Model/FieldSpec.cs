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
public sealed record FieldSpec(
    string JsonName,
    string PropertyName,
    string TypeName,
    FieldKind Kind,
    bool Required,
    int? MaxLength,
    long? Minimum,
    string Description,
    LocationInfo TypeLocation)
{
    public bool IsValueType => Kind is FieldKind.Int64 or FieldKind.Decimal or FieldKind.Bool or FieldKind.Timestamp or FieldKind.Enum;
}
