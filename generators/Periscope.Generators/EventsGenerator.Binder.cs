using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    /// <summary>
    /// Joins every parsed file into one definition: resolves field types, and checks what only the
    /// whole definition can show (one envelope, unique kinds and type names).
    /// </summary>
    internal static partial class Binder
    {
        private static readonly string[] s_reservedTypeNames = ["EventJson", "EventReadResult", "IPeriscopeEvent", "EventJsonPrimitives", "EventOtel", "IOtelAttributeWriter", "OtelAttribute"];
        private static readonly string[] s_reservedFieldNames = ["kind", "schema_version"];

        /// <summary>The bound definition again, one value per file that declares types, in path order.</summary>
        public static ImmutableArray<DefinitionFileOutputs> SplitByFile(DefinitionResult result)
        {
            if (result.Definition is not { } definition)
            {
                return ImmutableArray<DefinitionFileOutputs>.Empty;
            }

            var paths = definition.Objects.Select(o => o.Location.FilePath)
                .Concat(definition.Enums.Select(e => e.Location.FilePath))
                .Concat(definition.Events.Select(e => e.Location.FilePath))
                .Distinct()
                .OrderBy(path => path, System.StringComparer.Ordinal);
            return paths.Select(path =>
            {
                var events = definition.Events.Where(e => e.Location.FilePath == path).ToImmutableEquatableArray();
                return new DefinitionFileOutputs(
                    path,
                    definition.Envelope.Namespace,
                    events.Count == 0 ? ImmutableEquatableArray<FieldSpec>.Empty : definition.Envelope.Fields,
                    definition.Objects.Where(o => o.Location.FilePath == path).ToImmutableEquatableArray(),
                    definition.Enums.Where(e => e.Location.FilePath == path).ToImmutableEquatableArray(),
                    events);
            }).ToImmutableArray();
        }

        public static DefinitionResult Bind(ImmutableArray<DefinitionFileSpec> files)
        {
            var diagnostics = new List<DiagnosticInfo>();
            var ordered = files.OrderBy(f => f.Path, System.StringComparer.Ordinal).ToList();
            foreach (var file in ordered)
            {
                diagnostics.AddRange(file.Diagnostics);
            }

            if (ordered.Count == 0)
            {
                return new DefinitionResult(null, ImmutableEquatableArray<DiagnosticInfo>.Empty);
            }

            var envelopes = ordered.Where(f => f.Envelope is not null).Select(f => f.Envelope!).ToList();
            foreach (var extra in envelopes.Skip(1))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Duplicate, extra.Location, "envelope", "envelope"));
            }

            if (envelopes.Count == 0 && !ordered.Any(f => f.Diagnostics.Count > 0))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingAttribute, null, "The event definition (*.events.json)", "envelope"));
            }

            var objects = ordered.SelectMany(f => f.Objects).ToList();
            var enums = ordered.SelectMany(f => f.Enums).ToList();
            var events = ordered.SelectMany(f => f.Events).ToList();

            var typeNames = new Dictionary<string, string>();
            foreach (var (name, location, what) in objects.Select(o => (o.Name, o.Location, "object"))
                .Concat(enums.Select(e => (e.Name, e.Location, "enum")))
                .Concat(events.Select(e => (e.Name, e.Location, "event"))))
            {
                if (s_reservedTypeNames.Contains(name) || name == envelopes.FirstOrDefault()?.Namespace.Split('.').Last())
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, location, $"Type '{name}'", "the name is reserved for generated code"));
                }
                else if (typeNames.ContainsKey(name))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Duplicate, location, "type name", name));
                }
                else
                {
                    typeNames.Add(name, what);
                }
            }

            var kinds = new HashSet<string>();
            foreach (var e in events.Where(e => !kinds.Add(e.Kind)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Duplicate, e.Location, "event kind", e.Kind));
            }

            var envelope = envelopes.FirstOrDefault();
            var boundEnvelope = envelope is null ? null : envelope with { Fields = Resolve(envelope.Fields, "the envelope", typeNames, diagnostics) };
            var envelopeNames = envelope?.Fields.Select(f => f.JsonName).ToList() ?? [];
            foreach (var field in envelope?.Fields ?? ImmutableEquatableArray<FieldSpec>.Empty)
            {
                CheckReserved(field, "the envelope", diagnostics);
            }

            var boundObjects = objects.Select(o => o with { Fields = Resolve(o.Fields, o.Name, typeNames, diagnostics) }).ToList();
            var boundEvents = new List<EventSpec>();
            foreach (var e in events)
            {
                foreach (var field in e.Fields)
                {
                    CheckReserved(field, e.Kind, diagnostics);
                    if (envelopeNames.Contains(field.JsonName))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Duplicate, field.TypeLocation, "field", $"{field.JsonName}' (already in the envelope) in event '{e.Kind}"));
                    }
                }

                boundEvents.Add(e with { Fields = Resolve(e.Fields, e.Name, typeNames, diagnostics) });
            }

            if (boundEnvelope is not null)
            {
                CheckOtel(boundEnvelope, boundObjects, boundEvents, diagnostics);
            }

            // Every Periscope diagnostic is an error: one of them means no code is emitted.
            var ok = boundEnvelope is not null && diagnostics.Count == 0;
            var definition = ok
                ? new DefinitionSpec(
                    boundEnvelope!,
                    boundObjects.OrderBy(o => o.Name, System.StringComparer.Ordinal).ToImmutableEquatableArray(),
                    enums.OrderBy(e => e.Name, System.StringComparer.Ordinal).ToImmutableEquatableArray(),
                    boundEvents.OrderBy(e => e.Kind, System.StringComparer.Ordinal).ToImmutableEquatableArray())
                : null;
            return new DefinitionResult(definition, diagnostics.ToImmutableEquatableArray());
        }

        private static void CheckReserved(FieldSpec field, string owner, List<DiagnosticInfo> diagnostics)
        {
            if (s_reservedFieldNames.Contains(field.JsonName))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, field.TypeLocation, $"Field '{field.JsonName}' of {owner}", "the name is reserved: every event carries it already"));
            }
        }

        private static ImmutableEquatableArray<FieldSpec> Resolve(
            ImmutableEquatableArray<FieldSpec> fields,
            string owner,
            Dictionary<string, string> typeNames,
            List<DiagnosticInfo> diagnostics)
        {
            var resolved = new List<FieldSpec>(fields.Count);
            foreach (var field in fields)
            {
                var kind = field.TypeName switch
                {
                    "string" => FieldKind.String,
                    "int64" => FieldKind.Int64,
                    "decimal" => FieldKind.Decimal,
                    "bool" => FieldKind.Bool,
                    "timestamp" => FieldKind.Timestamp,
                    _ => typeNames.TryGetValue(field.TypeName, out var what)
                        ? what switch { "object" => FieldKind.Object, "enum" => FieldKind.Enum, _ => FieldKind.Unresolved }
                        : FieldKind.Unresolved,
                };

                if (kind == FieldKind.Unresolved)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownType, field.TypeLocation, field.JsonName, field.TypeName));
                }
                else if (field.MaxLength is not null && kind != FieldKind.String)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, field.TypeLocation, $"Field '{field.JsonName}' of {owner}", "'maxLength' applies to string fields only"));
                }
                else if (field.Minimum is not null && kind is not (FieldKind.Int64 or FieldKind.Decimal))
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, field.TypeLocation, $"Field '{field.JsonName}' of {owner}", "'minimum' applies to int64 and decimal fields only"));
                }
                else if (field.PropertyName == owner)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, field.TypeLocation, $"Field '{field.JsonName}' of {owner}", "a property cannot share its type's name"));
                }

                resolved.Add(field with { Kind = kind });
            }

            return resolved.ToImmutableEquatableArray();
        }
    }
}
