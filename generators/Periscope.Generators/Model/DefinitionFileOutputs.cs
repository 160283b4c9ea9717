namespace Periscope.Generators.Model;

/// <summary>
/// The bound types one definition file declares, with what their code needs from the rest (the
/// envelope's fields, when the file declares events). Equal when the file and the envelope are unchanged,
/// so an edit to another file leaves this file's outputs cached.
/// </summary>
public sealed record DefinitionFileOutputs(
    string Path,
    string Namespace,
    ImmutableEquatableArray<FieldSpec> EnvelopeFields,
    ImmutableEquatableArray<ObjectSpec> Objects,
    ImmutableEquatableArray<EnumSpec> Enums,
    ImmutableEquatableArray<EventSpec> Events);
