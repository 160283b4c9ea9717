namespace Periscope.Generators.Model;

/// <summary>One event kind: its wire name, C# record name and own fields (the envelope's come first).</summary>
public sealed record EventSpec(string Kind, string Name, string Description, ImmutableEquatableArray<FieldSpec> Fields, LocationInfo Location);
