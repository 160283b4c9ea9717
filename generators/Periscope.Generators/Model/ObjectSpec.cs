namespace Periscope.Generators.Model;

/// <summary>A nested object type (emitted as a sealed record).</summary>
public sealed record ObjectSpec(string Name, string Description, ImmutableEquatableArray<FieldSpec> Fields, LocationInfo Location);
