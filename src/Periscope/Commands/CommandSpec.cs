namespace Periscope.Commands;

/// <summary>One command as its help shows it: the name typed first, the usage line, what it does, its options, one example.</summary>
internal sealed record CommandSpec(string Name, string Usage, string Summary, OptionSpec[] Options, string Example);
