using System;
using Microsoft.CodeAnalysis;

namespace Periscope.Generators;

/// <summary>
/// Turns the shared event definition (AdditionalFiles named *.events.json) into sealed records,
/// Utf8JsonWriter writers, Utf8JsonReader readers, validation and the JSON Schema of the wire format.
/// Pipeline: definition files -> parse each (equatable) -> bind all -> emit what spans every file
/// (dispatch, schema, OTLP mapping), and per file -> emit that file's records and enums, so an edit
/// to one file re-emits that file's types and leaves the others' cached.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed partial class EventsGenerator : IIncrementalGenerator
{
    public const string DefinitionSuffix = ".events.json";

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var files = context.AdditionalTextsProvider
            .Where(static text => text.Path.EndsWith(DefinitionSuffix, StringComparison.OrdinalIgnoreCase))
            .WithTrackingName(TrackingNames.DefinitionFiles);

        var parsed = files
            .Select(static (text, cancellationToken) => Parser.Parse(text.Path, text.GetText(cancellationToken)?.ToString()))
            .WithTrackingName(TrackingNames.ParsedFiles);

        var definition = parsed
            .Collect()
            .Select(static (all, _) => Binder.Bind(all))
            .WithTrackingName(TrackingNames.Definition);

        var perFile = definition
            .SelectMany(static (result, _) => Binder.SplitByFile(result))
            .WithTrackingName(TrackingNames.FileOutputs);

        context.RegisterSourceOutput(definition, static (output, result) => Emitter.Emit(output, result));
        context.RegisterSourceOutput(perFile, static (output, file) => Emitter.EmitFile(output, file));
    }
}
