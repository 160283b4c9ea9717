namespace Periscope.Commands;

/// <summary>One option of a command: its name, what it does with its default, and the value it takes, if any.</summary>
internal sealed record OptionSpec(string Name, string Description, string? Value = null)
{
    /// <summary>"--by KEY", or "--json".</summary>
    public string Display => Value is null ? Name : $"{Name} {Value}";
}
