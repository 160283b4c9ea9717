using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Periscope.Generators.Json;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    /// <summary>
    /// Reads one definition file into declarations. Names that point across files (field types,
    /// duplicate kinds) are checked later by <see cref="Binder"/>, once every file is parsed.
    /// </summary>
    internal sealed class Parser
    {
        private static readonly string[] s_rootAttributes = ["envelope", "objects", "enums", "events", "$comment"];
        private static readonly string[] s_envelopeAttributes = ["namespace", "schemaVersion", "description", "fields", "$comment"];
        private static readonly string[] s_objectAttributes = ["name", "description", "fields", "otelResource", "$comment"];
        private static readonly string[] s_enumAttributes = ["name", "description", "values", "$comment"];
        private static readonly string[] s_eventAttributes = ["kind", "name", "description", "fields", "$comment"];
        private static readonly string[] s_fieldAttributes = ["name", "type", "required", "maxLength", "minimum", "privacy", "description", "otel", "otelAdd", "$comment"];

        private readonly string _path;
        private readonly List<DiagnosticInfo> _diagnostics = [];

        private Parser(string path) => _path = path;

        public static DefinitionFileSpec Parse(string path, string? text)
        {
            var parser = new Parser(path);
            return parser.ParseFile(text);
        }

        private DefinitionFileSpec ParseFile(string? text)
        {
            EnvelopeSpec? envelope = null;
            var objects = new List<ObjectSpec>();
            var enums = new List<EnumSpec>();
            var events = new List<EventSpec>();

            JsonNode? root = null;
            if (text is null)
            {
                Report(DiagnosticDescriptors.MalformedDefinition, null, _path, "the file could not be read");
            }
            else
            {
                try
                {
                    root = DefinitionJsonReader.Parse(_path, text);
                }
                catch (DefinitionJsonException ex)
                {
                    Report(DiagnosticDescriptors.MalformedDefinition, ex.Location, System.IO.Path.GetFileName(_path), ex.Message);
                }
            }

            if (root is JsonObjectNode rootObject)
            {
                CheckAttributes(rootObject, s_rootAttributes, "The definition");
                if (rootObject.Find("envelope") is { } envelopeProperty && Expect<JsonObjectNode>(envelopeProperty, "The definition") is { } envelopeNode)
                {
                    envelope = ParseEnvelope(envelopeNode);
                }

                foreach (var node in Items(rootObject, "objects"))
                {
                    if (ParseObject(node) is { } spec)
                    {
                        objects.Add(spec);
                    }
                }

                foreach (var node in Items(rootObject, "enums"))
                {
                    if (ParseEnum(node) is { } spec)
                    {
                        enums.Add(spec);
                    }
                }

                foreach (var node in Items(rootObject, "events"))
                {
                    if (ParseEvent(node) is { } spec)
                    {
                        events.Add(spec);
                    }
                }
            }
            else if (root is not null)
            {
                Report(DiagnosticDescriptors.InvalidAttribute, root.Location, "The definition", $"expected an object at the top level, found {root.KindName}");
            }

            return new DefinitionFileSpec(
                _path,
                envelope,
                objects.ToImmutableEquatableArray(),
                enums.ToImmutableEquatableArray(),
                events.ToImmutableEquatableArray(),
                _diagnostics.ToImmutableEquatableArray());
        }

        private EnvelopeSpec? ParseEnvelope(JsonObjectNode node)
        {
            const string What = "The envelope";
            CheckAttributes(node, s_envelopeAttributes, What);
            var ns = RequiredString(node, "namespace", What);
            var version = RequiredInteger(node, "schemaVersion", What, minimum: 1);
            var fields = ParseFields(node, What);
            if (ns is not null && !IsNamespace(ns))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, node.Find("namespace")!.Value.Location, What, $"'{ns}' is not a C# namespace");
                ns = null;
            }

            return ns is null || version is null || fields is null
                ? null
                : new EnvelopeSpec(ns, version.Value, OptionalString(node, "description", What) ?? string.Empty, fields, node.Location);
        }

        private ObjectSpec? ParseObject(JsonNode node)
        {
            if (AsObject(node, "An object declaration") is not { } obj)
            {
                return null;
            }

            CheckAttributes(obj, s_objectAttributes, "An object declaration");
            var name = RequiredTypeName(obj, "An object declaration");
            var what = $"Object '{name ?? "?"}'";
            var fields = ParseFields(obj, what);
            return name is null || fields is null
                ? null
                : new ObjectSpec(name, OptionalString(obj, "description", what) ?? string.Empty, fields, obj.Location, OptionalBool(obj, "otelResource", what) ?? false);
        }

        private EnumSpec? ParseEnum(JsonNode node)
        {
            if (AsObject(node, "An enum declaration") is not { } obj)
            {
                return null;
            }

            CheckAttributes(obj, s_enumAttributes, "An enum declaration");
            var name = RequiredTypeName(obj, "An enum declaration");
            var what = $"Enum '{name ?? "?"}'";
            var valuesProperty = obj.Find("values");
            if (valuesProperty is null)
            {
                Report(DiagnosticDescriptors.MissingAttribute, obj.Location, what, "values");
                return null;
            }

            if (Expect<JsonArrayNode>(valuesProperty, what) is not { } array)
            {
                return null;
            }

            var values = new List<string>();
            var ok = true;
            foreach (var item in array.Items)
            {
                if (item is not JsonStringNode value || !IsSnakeCase(value.Value))
                {
                    Report(DiagnosticDescriptors.InvalidAttribute, item.Location, what, "enum values must be snake_case strings");
                    ok = false;
                }
                else if (values.Contains(value.Value))
                {
                    Report(DiagnosticDescriptors.Duplicate, item.Location, "enum value", value.Value);
                    ok = false;
                }
                else
                {
                    values.Add(value.Value);
                }
            }

            if (values.Count == 0 && ok)
            {
                Report(DiagnosticDescriptors.InvalidAttribute, array.Location, what, "an enum needs at least one value");
                ok = false;
            }

            return name is null || !ok
                ? null
                : new EnumSpec(name, OptionalString(obj, "description", what) ?? string.Empty, values.ToImmutableEquatableArray(), values.Select(ToPascalCase).ToImmutableEquatableArray(), obj.Location);
        }

        private EventSpec? ParseEvent(JsonNode node)
        {
            if (AsObject(node, "An event declaration") is not { } obj)
            {
                return null;
            }

            CheckAttributes(obj, s_eventAttributes, "An event declaration");
            var kind = RequiredString(obj, "kind", "An event declaration");
            if (kind is not null && !IsSnakeCase(kind))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, obj.Find("kind")!.Value.Location, "An event declaration", $"kind '{kind}' must be snake_case");
                kind = null;
            }

            var what = $"Event '{kind ?? "?"}'";
            var name = RequiredTypeName(obj, what);
            var fields = ParseFields(obj, what);
            return kind is null || name is null || fields is null
                ? null
                : new EventSpec(kind, name, OptionalString(obj, "description", what) ?? string.Empty, fields, obj.Location);
        }

        private ImmutableEquatableArray<FieldSpec>? ParseFields(JsonObjectNode owner, string what)
        {
            var property = owner.Find("fields");
            if (property is null)
            {
                Report(DiagnosticDescriptors.MissingAttribute, owner.Location, what, "fields");
                return null;
            }

            if (Expect<JsonArrayNode>(property, what) is not { } array)
            {
                return null;
            }

            var fields = new List<FieldSpec>();
            var ok = true;
            foreach (var item in array.Items)
            {
                var field = ParseField(item, what);
                if (field is null)
                {
                    ok = false;
                }
                else if (fields.Any(f => f.JsonName == field.JsonName))
                {
                    Report(DiagnosticDescriptors.Duplicate, ((JsonObjectNode)item).Find("name")!.Value.Location, "field", field.JsonName);
                    ok = false;
                }
                else
                {
                    fields.Add(field);
                }
            }

            return ok ? fields.ToImmutableEquatableArray() : null;
        }

        private FieldSpec? ParseField(JsonNode node, string owner)
        {
            if (node is not JsonObjectNode obj)
            {
                Report(DiagnosticDescriptors.InvalidAttribute, node.Location, owner, $"a field must be an object, found {node.KindName}");
                return null;
            }

            // Any problem reported while reading this field drops the field (and so its owner).
            var problemsBefore = _diagnostics.Count;
            var name = RequiredString(obj, "name", $"A field of {Lower(owner)}");
            var what = $"Field '{name ?? "?"}' of {Lower(owner)}";
            CheckAttributes(obj, s_fieldAttributes, what);
            if (name is not null && !IsSnakeCase(name))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, obj.Find("name")!.Value.Location, what, "field names must be snake_case");
                name = null;
            }

            var type = RequiredString(obj, "type", what);
            var privacy = RequiredString(obj, "privacy", what);
            if (privacy is not null && privacy != "metadata")
            {
                Report(DiagnosticDescriptors.NotMetadata, obj.Find("privacy")!.Value.Location, name ?? "?", privacy);
                privacy = null;
            }

            var required = OptionalBool(obj, "required", what) ?? false;
            var maxLength = OptionalInteger(obj, "maxLength", what, minimum: 1);
            var minimum = OptionalInteger(obj, "minimum", what, minimum: long.MinValue);
            var otel = OptionalString(obj, "otel", what);
            if (otel is not null && !IsOtelName(otel))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, obj.Find("otel")!.Value.Location, what, "'otel' names an OpenTelemetry attribute: lowercase words joined by dots, e.g. gen_ai.request.model (\"[]\" at the end for an array)");
            }

            var otelAdd = OptionalNames(obj, "otelAdd", what);
            if (otelAdd is not null && otel is null)
            {
                Report(DiagnosticDescriptors.InvalidAttribute, obj.Find("otelAdd")!.Value.Location, what, "'otelAdd' needs 'otel'");
            }

            if (name is null || type is null || privacy is null || _diagnostics.Count > problemsBefore)
            {
                return null;
            }

            return new FieldSpec(
                name,
                ToPascalCase(name),
                type,
                FieldKind.Unresolved,
                required,
                maxLength is null ? null : (int)System.Math.Min(maxLength.Value, int.MaxValue),
                minimum,
                OptionalString(obj, "description", what) ?? string.Empty,
                obj.Find("type")!.Value.Location,
                otel,
                otelAdd);
        }

        // gen_ai.usage.input_tokens: lowercase segments of letters, digits and underscores, joined by dots.
        private static bool IsOtelName(string name)
        {
            var bare = name.EndsWith("[]", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 2) : name;
            return bare.Length > 0 && bare.Split('.').All(part => part.Length > 0 && part[0] is >= 'a' and <= 'z' && part.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'));
        }

        // An array of snake_case names, or null when absent.
        private ImmutableEquatableArray<string>? OptionalNames(JsonObjectNode obj, string name, string what)
        {
            if (obj.Find(name) is not { } property)
            {
                return null;
            }

            if (Expect<JsonArrayNode>(property, what) is not { } array)
            {
                return null;
            }

            var names = new List<string>();
            foreach (var item in array.Items)
            {
                if (item is JsonStringNode text && IsSnakeCase(text.Value))
                {
                    names.Add(text.Value);
                }
                else
                {
                    Report(DiagnosticDescriptors.InvalidAttribute, item.Location, what, $"'{name}' lists snake_case field names");
                }
            }

            return names.ToImmutableEquatableArray();
        }

        private JsonObjectNode? AsObject(JsonNode node, string what)
        {
            if (node is JsonObjectNode obj)
            {
                return obj;
            }

            Report(DiagnosticDescriptors.InvalidAttribute, node.Location, what, $"expected an object, found {node.KindName}");
            return null;
        }

        private IEnumerable<JsonNode> Items(JsonObjectNode owner, string name)
        {
            var property = owner.Find(name);
            return property is not null && Expect<JsonArrayNode>(property, "The definition") is { } array ? array.Items : [];
        }

        private T? Expect<T>(JsonPropertyNode property, string what)
            where T : JsonNode
        {
            if (property.Value is T value)
            {
                return value;
            }

            var expected = typeof(T) == typeof(JsonArrayNode) ? "an array" : typeof(T) == typeof(JsonObjectNode) ? "an object" : "a string";
            Report(DiagnosticDescriptors.InvalidAttribute, property.Value.Location, what, $"'{property.Name}' must be {expected}, found {property.Value.KindName}");
            return null;
        }

        private void CheckAttributes(JsonObjectNode node, string[] allowed, string what)
        {
            var seen = new HashSet<string>();
            foreach (var property in node.Properties)
            {
                if (!seen.Add(property.Name))
                {
                    Report(DiagnosticDescriptors.Duplicate, property.NameLocation, "attribute", property.Name);
                }
                else if (System.Array.IndexOf(allowed, property.Name) < 0)
                {
                    Report(DiagnosticDescriptors.InvalidAttribute, property.NameLocation, what, $"unknown attribute '{property.Name}' (allowed: {string.Join(", ", allowed.Where(a => a[0] != '$'))})");
                }
            }
        }

        private string? RequiredTypeName(JsonObjectNode node, string what)
        {
            var name = RequiredString(node, "name", what);
            if (name is not null && !IsPascalCase(name))
            {
                Report(DiagnosticDescriptors.InvalidAttribute, node.Find("name")!.Value.Location, what, $"type name '{name}' must be PascalCase");
                return null;
            }

            return name;
        }

        private string? RequiredString(JsonObjectNode node, string name, string what)
        {
            var property = node.Find(name);
            if (property is null)
            {
                Report(DiagnosticDescriptors.MissingAttribute, node.Location, what, name);
                return null;
            }

            var value = Expect<JsonStringNode>(property, what)?.Value;
            if (value is { Length: 0 })
            {
                Report(DiagnosticDescriptors.InvalidAttribute, property.Value.Location, what, $"'{name}' must not be empty");
                return null;
            }

            return value;
        }

        private string? OptionalString(JsonObjectNode node, string name, string what)
            => node.Find(name) is { } property ? Expect<JsonStringNode>(property, what)?.Value : null;

        private bool? OptionalBool(JsonObjectNode node, string name, string what)
        {
            if (node.Find(name) is not { } property)
            {
                return null;
            }

            if (property.Value is JsonLiteralNode { Value: { } value })
            {
                return value;
            }

            Report(DiagnosticDescriptors.InvalidAttribute, property.Value.Location, what, $"'{name}' must be true or false, found {property.Value.KindName}");
            return null;
        }

        private long? RequiredInteger(JsonObjectNode node, string name, string what, long minimum)
        {
            if (node.Find(name) is null)
            {
                Report(DiagnosticDescriptors.MissingAttribute, node.Location, what, name);
                return null;
            }

            return OptionalInteger(node, name, what, minimum);
        }

        private long? OptionalInteger(JsonObjectNode node, string name, string what, long minimum)
        {
            if (node.Find(name) is not { } property)
            {
                return null;
            }

            if (property.Value is JsonNumberNode number
                && long.TryParse(number.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                && value >= minimum)
            {
                return value;
            }

            var bound = minimum == long.MinValue ? "an integer" : $"an integer of at least {minimum}";
            Report(DiagnosticDescriptors.InvalidAttribute, property.Value.Location, what, $"'{name}' must be {bound}");
            return null;
        }

        private void Report(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor, LocationInfo? location, params string[] args)
            => _diagnostics.Add(DiagnosticInfo.Create(descriptor, location, args));

        private static string Lower(string what) => what.Length == 0 ? what : char.ToLowerInvariant(what[0]) + what.Substring(1);

        internal static bool IsSnakeCase(string value)
        {
            if (value.Length == 0 || value[0] < 'a' || value[0] > 'z')
            {
                return false;
            }

            return value.All(c => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
        }

        private static bool IsPascalCase(string value)
            => value.Length > 0 && value[0] >= 'A' && value[0] <= 'Z' && value.All(c => char.IsLetterOrDigit(c) && c < 128);

        private static bool IsNamespace(string value)
            => value.Split('.').All(part => part.Length > 0 && (char.IsLetter(part[0]) || part[0] == '_') && part.All(c => (char.IsLetterOrDigit(c) || c == '_') && c < 128));

        internal static string ToPascalCase(string snake)
        {
            var builder = new StringBuilder(snake.Length);
            foreach (var part in snake.Split('_'))
            {
                if (part.Length > 0)
                {
                    builder.Append(char.ToUpperInvariant(part[0])).Append(part, 1, part.Length - 1);
                }
            }

            return builder.ToString();
        }
    }
}
