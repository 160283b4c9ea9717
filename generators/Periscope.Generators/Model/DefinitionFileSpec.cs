namespace Periscope.Generators.Model;

/// <summary>What one *.events.json file declares, before names are resolved across files.</summary>
public sealed record DefinitionFileSpec(
    string Path,
    EnvelopeSpec? Envelope,
    ImmutableEquatableArray<ObjectSpec> Objects,
    ImmutableEquatableArray<EnumSpec> Enums,
    ImmutableEquatableArray<EventSpec> Events,
    ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
