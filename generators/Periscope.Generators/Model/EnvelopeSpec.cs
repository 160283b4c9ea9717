namespace Periscope.Generators.Model;

/// <summary>The fields every event carries, the namespace to emit into and the schema version.</summary>
public sealed record EnvelopeSpec(string Namespace, long SchemaVersion, string Description, ImmutableEquatableArray<FieldSpec> Fields, LocationInfo Location);
