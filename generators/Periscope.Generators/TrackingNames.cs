namespace Periscope.Generators;

/// <summary>Names of the pipeline steps, so tests can check each one is cached on an unrelated edit.</summary>
public static class TrackingNames
{
    public const string DefinitionFiles = nameof(DefinitionFiles);
    public const string ParsedFiles = nameof(ParsedFiles);
    public const string Definition = nameof(Definition);
    public const string FileOutputs = nameof(FileOutputs);
}
