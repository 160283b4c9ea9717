namespace Periscope.Generators.Model;

/// <summary>A closed set of snake_case wire values (emitted as a C# enum and its wire mapping).</summary>
public sealed record EnumSpec(string Name, string Description, ImmutableEquatableArray<string> Values, LocationInfo Location);
