using System;
using Microsoft.CodeAnalysis;

namespace Periscope.Generators;

/// <summary>
/// Turns the shared event definition (AdditionalFiles named *.events.json) into sealed records,
/// Utf8JsonWriter writers, Utf8JsonReader readers, validation and the JSON Schema of the wire format.
/// Pipeline: definition files -> parse each (equatable) -> bind all -> emit.
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

        context.RegisterSourceOutput(definition, static (output, result) => Emitter.Emit(output, result));
    }
}
