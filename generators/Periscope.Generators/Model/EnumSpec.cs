namespace Periscope.Generators.Model;

/// <summary>A closed set of snake_case wire values (emitted as a C# enum and its wire mapping).</summary>
/// <param name="Members">The C# member name of each value, in the same order (PascalCase of the snake_case value).</param>
public sealed record EnumSpec(string Name, string Description, ImmutableEquatableArray<string> Values, ImmutableEquatableArray<string> Members, LocationInfo Location)
{
    /// <summary>Each wire value with its C# member name.</summary>
    public System.Collections.Generic.IEnumerable<(string Value, string Member)> Pairs => System.Linq.Enumerable.Zip(Values, Members, (value, member) => (value, member));
}
