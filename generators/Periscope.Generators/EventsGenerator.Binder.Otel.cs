using System.Collections.Generic;
using System.Linq;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    internal static partial class Binder
    {
        /// <summary>
        /// The OpenTelemetry mapping, checked where types are known: 'otel' on a value field only,
        /// 'otelAdd' naming int64 siblings of an int64 field, and no attribute name twice in one record
        /// (nested objects flattened; resource objects apart).
        /// </summary>
        private static void CheckOtel(EnvelopeSpec envelope, List<ObjectSpec> objects, List<EventSpec> events, List<DiagnosticInfo> diagnostics)
        {
            var byName = objects.ToDictionary(o => o.Name, System.StringComparer.Ordinal);
            foreach (var (owner, fields) in new[] { ("the envelope", envelope.Fields) }
                .Concat(objects.Select(o => (o.Name, o.Fields)))
                .Concat(events.Select(e => (e.Name, e.Fields))))
            {
                foreach (var field in fields)
                {
                    var what = $"Field '{field.JsonName}' of {owner}";
                    if (field.Otel is not null && field.Kind == FieldKind.Object)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, field.TypeLocation, what, "'otel' belongs on value fields; an object's own fields name their attributes"));
                    }

                    foreach (var added in field.OtelAdd ?? ImmutableEquatableArray<string>.Empty)
                    {
                        if (field.Kind != FieldKind.Int64 || !fields.Any(f => f.JsonName == added && f.Kind == FieldKind.Int64 && f.JsonName != field.JsonName))
                        {
                            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidAttribute, field.TypeLocation, what, $"'otelAdd' names int64 fields beside an int64 field; '{added}' is not one"));
                        }
                    }
                }
            }

            foreach (var e in events)
            {
                var seen = new HashSet<string>(System.StringComparer.Ordinal);
                foreach (var name in RecordAttributes(envelope.Fields.Concat(e.Fields), byName, 0))
                {
                    if (!seen.Add(name))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Duplicate, e.Location, "OpenTelemetry attribute", $"{name}' in event '{e.Kind}"));
                    }
                }
            }
        }

        // Every attribute name a record of these fields carries, nested objects flattened.
        private static IEnumerable<string> RecordAttributes(IEnumerable<FieldSpec> fields, Dictionary<string, ObjectSpec> objects, int depth)
        {
            foreach (var field in fields)
            {
                if (field.OtelName is { } name)
                {
                    yield return name;
                }
                else if (field.Kind == FieldKind.Object && depth < 8 && objects.TryGetValue(field.TypeName, out var nested) && !nested.OtelResource)
                {
                    foreach (var inner in RecordAttributes(nested.Fields, objects, depth + 1))
                    {
                        yield return inner;
                    }
                }
            }
        }
    }
}
