namespace Periscope.Generators.Model;

/// <summary>A nested object type (emitted as a sealed record).</summary>
/// <param name="OtelResource">True when the object describes the sender: exported as OpenTelemetry resource attributes, not per record.</param>
public sealed record ObjectSpec(string Name, string Description, ImmutableEquatableArray<FieldSpec> Fields, LocationInfo Location, bool OtelResource = false);
