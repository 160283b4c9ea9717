namespace Periscope.Generators.Model;

/// <summary>The whole definition, every name resolved: what the emitter works from.</summary>
public sealed record DefinitionSpec(
    EnvelopeSpec Envelope,
    ImmutableEquatableArray<ObjectSpec> Objects,
    ImmutableEquatableArray<EnumSpec> Enums,
    ImmutableEquatableArray<EventSpec> Events);

/// <summary>The bind step's output: a model when the definition is sound, and its diagnostics.</summary>
public sealed record DefinitionResult(DefinitionSpec? Definition, ImmutableEquatableArray<DiagnosticInfo> Diagnostics);
