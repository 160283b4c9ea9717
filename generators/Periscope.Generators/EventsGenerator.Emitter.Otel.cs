using System.Collections.Generic;
using System.Linq;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    internal static partial class Emitter
    {
        private const string AttributeWriter = "IOtelAttributeWriter";

        /// <summary>IOtelAttributeWriter: what receives one record's attributes (an OTLP protobuf or JSON encoder).</summary>
        private static string EmitOtelWriter(string ns)
        {
            var w = Begin(ns);
            Summary(w, "Receives the OpenTelemetry attributes of one event or resource, as the definition's \"otel\" names map them.");
            w.WriteLine(GeneratedCode);
            w.OpenBlock($"public interface {AttributeWriter}");
            Summary(w, "A string attribute.");
            w.WriteLine("void WriteString(string key, string value);");
            w.WriteLine();
            Summary(w, "A string array attribute of one element.");
            w.WriteLine("void WriteStringArray(string key, string value);");
            w.WriteLine();
            Summary(w, "An integer attribute.");
            w.WriteLine("void WriteInt64(string key, long value);");
            w.WriteLine();
            Summary(w, "A floating-point attribute.");
            w.WriteLine("void WriteDouble(string key, double value);");
            w.WriteLine();
            Summary(w, "A boolean attribute.");
            w.WriteLine("void WriteBool(string key, bool value);");
            w.CloseBlock();
            return w.ToString();
        }

        /// <summary>OtelAttribute: one row of the mapping, for `periscope schema --otel` and the docs.</summary>
        private static string EmitOtelAttribute(string ns)
        {
            var w = Begin(ns);
            Summary(w, "One field's OpenTelemetry attribute: the event kind (\"*\" for every kind), the field's JSON path, the attribute, its type, whether it is a resource attribute, and the fields summed into it.");
            w.WriteLine(GeneratedCode);
            w.WriteLine("public sealed record OtelAttribute(string Kind, string Field, string Name, string Type, bool Resource, string? Sum);");
            return w.ToString();
        }

        /// <summary>EventOtel: each event's log record attributes, the resource objects' attributes, and the mapping table.</summary>
        private static string EmitEventOtel(DefinitionSpec definition)
        {
            var ns = definition.Envelope.Namespace;
            var objects = definition.Objects.ToDictionary(o => o.Name, System.StringComparer.Ordinal);
            var w = Begin(ns);
            Summary(w, "OpenTelemetry attributes of events, as the definition's \"otel\" names map them (semantic conventions where one exists).");
            w.WriteLine(GeneratedCode);
            w.OpenBlock("public static partial class EventOtel");

            Summary(w, "The log record's event name: \"periscope.\" and the kind.");
            w.OpenBlock("public static string EventName(IPeriscopeEvent value)");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(value);");
            w.WriteLine("return \"periscope.\" + value.Kind;");
            w.CloseBlock();
            w.WriteLine();

            Summary(w, "Writes the event's record attributes (resource objects apart).");
            w.OpenBlock($"public static void WriteAttributes(IPeriscopeEvent value, {AttributeWriter} writer)");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(value);");
            w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(writer);");
            w.OpenBlock("switch (value)");
            foreach (var e in definition.Events)
            {
                w.WriteLine($"case global::{ns}.{e.Name} e: Write(e, writer); break;");
            }

            w.CloseBlock();
            w.CloseBlock();

            foreach (var resource in definition.Objects.Where(o => o.OtelResource))
            {
                w.WriteLine();
                Summary(w, $"Writes the {resource.Name} as resource attributes.");
                w.OpenBlock($"public static void WriteResource(global::{ns}.{resource.Name} value, {AttributeWriter} writer)");
                w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(value);");
                w.WriteLine("global::System.ArgumentNullException.ThrowIfNull(writer);");
                var counter = 0;
                foreach (var field in resource.Fields)
                {
                    WriteOtelField(w, ns, field, "value", resource.Fields, objects, ref counter, includeResources: true);
                }

                w.CloseBlock();
            }

            w.WriteLine();
            Summary(w, "Every exported field and its attribute, in definition order.");
            w.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<OtelAttribute> Attributes { get; } =");
            w.WriteLine("[");
            w.Indent();
            foreach (var row in Mapping(definition, objects))
            {
                w.WriteLine($"new({Literal(row.Kind)}, {Literal(row.Field)}, {Literal(row.Name)}, {Literal(row.Type)}, {(row.Resource ? "true" : "false")}, {(row.Sum is null ? "null" : Literal(row.Sum))}),");
            }

            w.Unindent();
            w.WriteLine("];");

            foreach (var e in definition.Events)
            {
                w.WriteLine();
                w.OpenBlock($"private static void Write(global::{ns}.{e.Name} value, {AttributeWriter} writer)");
                var counter = 0;
                var fields = definition.Envelope.Fields.Concat(e.Fields).ToList();
                foreach (var field in fields)
                {
                    WriteOtelField(w, ns, field, "value", fields, objects, ref counter, includeResources: false);
                }

                w.CloseBlock();
            }

            w.CloseBlock();
            return w.ToString();
        }

        private static void WriteOtelField(SourceWriter w, string ns, FieldSpec field, string owner, IReadOnlyList<FieldSpec> siblings, Dictionary<string, ObjectSpec> objects, ref int counter, bool includeResources)
        {
            var access = $"{owner}.{field.PropertyName}";
            if (field.Kind == FieldKind.Object)
            {
                if (!objects.TryGetValue(field.TypeName, out var nested) || (nested.OtelResource && !includeResources) || !nested.Fields.Any(HasOtel(objects)))
                {
                    return;
                }

                var variable = $"v{counter++}";
                w.OpenBlock(field.Required ? null : $"if ({access} is {{ }} {variable})");
                if (field.Required)
                {
                    w.WriteLine($"var {variable} = {access};");
                }

                foreach (var inner in nested.Fields)
                {
                    WriteOtelField(w, ns, inner, variable, nested.Fields, objects, ref counter, includeResources);
                }

                w.CloseBlock();
                return;
            }

            if (field.OtelName is not { } name)
            {
                return;
            }

            var key = Literal(name);
            var value = field.Required ? access : $"v{counter++}";
            var call = field.Kind switch
            {
                FieldKind.String => $"writer.{(field.OtelIsArray ? "WriteStringArray" : "WriteString")}({key}, {value});",
                FieldKind.Int64 => $"writer.WriteInt64({key}, {string.Join(" + ", new[] { value }.Concat((field.OtelAdd ?? ImmutableEquatableArray<string>.Empty).Select(a => $"{owner}.{siblings.First(s => s.JsonName == a).PropertyName}")))});",
                FieldKind.Decimal => $"writer.WriteDouble({key}, (double){value});",
                FieldKind.Bool => $"writer.WriteBool({key}, {value});",
                FieldKind.Timestamp => $"writer.WriteString({key}, {value}.ToString(\"O\", global::System.Globalization.CultureInfo.InvariantCulture));",
                _ => $"writer.WriteString({key}, global::{ns}.{field.TypeName}Wire.ToWireName({value}));",
            };
            w.WriteLine(field.Required ? call : $"if ({access} is {{ }} {value}) {call}");
        }

        private static System.Func<FieldSpec, bool> HasOtel(Dictionary<string, ObjectSpec> objects)
            => field => field.Otel is not null
                || (field.Kind == FieldKind.Object && objects.TryGetValue(field.TypeName, out var nested) && nested.Fields.Any(f => f.Otel is not null));

        private static IEnumerable<(string Kind, string Field, string Name, string Type, bool Resource, string? Sum)> Mapping(DefinitionSpec definition, Dictionary<string, ObjectSpec> objects)
        {
            var sources = new[] { ("*", definition.Envelope.Fields) }.Concat(definition.Events.Select(e => (e.Kind, e.Fields)));
            foreach (var (kind, fields) in sources)
            {
                foreach (var row in MappingRows(kind, string.Empty, fields, objects, resource: false, depth: 0))
                {
                    yield return row;
                }
            }
        }

        private static IEnumerable<(string Kind, string Field, string Name, string Type, bool Resource, string? Sum)> MappingRows(string kind, string prefix, IReadOnlyList<FieldSpec> fields, Dictionary<string, ObjectSpec> objects, bool resource, int depth)
        {
            foreach (var field in fields)
            {
                var path = prefix + field.JsonName;
                if (field.Kind == FieldKind.Object && depth < 8 && objects.TryGetValue(field.TypeName, out var nested))
                {
                    foreach (var row in MappingRows(kind, path + ".", nested.Fields, objects, resource || nested.OtelResource, depth + 1))
                    {
                        yield return row;
                    }
                }
                else if (field.OtelName is { } name)
                {
                    var type = field.Kind switch
                    {
                        FieldKind.Int64 => "int",
                        FieldKind.Decimal => "double",
                        FieldKind.Bool => "bool",
                        _ => field.OtelIsArray ? "string[]" : "string",
                    };
                    var sum = field.OtelAdd is { Count: > 0 } added ? string.Join(" + ", new[] { field.JsonName }.Concat(added)) : null;
                    yield return (kind, path, name, type, resource, sum);
                }
            }
        }
    }
}
