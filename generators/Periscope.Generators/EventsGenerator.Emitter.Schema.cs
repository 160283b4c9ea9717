using System.Collections.Generic;
using System.Linq;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    internal static partial class Emitter
    {
        /// <summary>The JSON Schema (draft 2020-12) of one event: a oneOf over the kinds, with shared $defs.</summary>
        internal static string EmitSchema(DefinitionSpec definition)
        {
            var envelope = definition.Envelope;
            var json = new JsonTextBuilder().StartObject()
                .Property("$schema", "https://json-schema.org/draft/2020-12/schema")
                .Property("$id", $"https://periscope.sh/schemas/events/v{envelope.SchemaVersion}.json")
                .Property("title", "Periscope event")
                .Property("description", envelope.Description)
                .Name("oneOf").StartArray();
            foreach (var e in definition.Events)
            {
                json.StartObject().Property("$ref", $"#/$defs/{e.Kind}").EndObject();
            }

            json.EndArray().Name("$defs").StartObject();
            foreach (var e in definition.Events)
            {
                WriteObjectSchema(json, e.Kind, e.Description, envelope.Fields.Concat(e.Fields).ToList(), e, envelope.SchemaVersion);
            }

            foreach (var o in definition.Objects)
            {
                WriteObjectSchema(json, o.Name, o.Description, o.Fields.ToList(), null, envelope.SchemaVersion);
            }

            foreach (var e in definition.Enums)
            {
                json.Name(e.Name).StartObject()
                    .Property("description", e.Description)
                    .Property("type", "string")
                    .Name("enum").StartArray();
                foreach (var value in e.Values)
                {
                    json.String(value);
                }

                json.EndArray().EndObject();
            }

            return json.EndObject().EndObject().ToString();
        }

        // An event (with its constant schema_version and kind first) or a nested object; closed to other properties.
        private static void WriteObjectSchema(JsonTextBuilder json, string key, string description, List<FieldSpec> fields, EventSpec? eventSpec, long schemaVersion)
        {
            json.Name(key).StartObject();
            if (eventSpec is not null)
            {
                json.Property("title", eventSpec.Name);
            }

            json.Property("description", description)
                .Property("type", "object")
                .Name("properties").StartObject();
            var required = new List<string>();
            if (eventSpec is not null)
            {
                json.Name("schema_version").StartObject().Property("const", schemaVersion).EndObject()
                    .Name("kind").StartObject().Property("const", eventSpec.Kind).EndObject();
                required.Add("schema_version");
                required.Add("kind");
            }

            WriteProperties(json, fields);
            json.EndObject();
            WriteRequired(json, required.Concat(fields.Where(f => f.Required).Select(f => f.JsonName)));
            json.Name("additionalProperties").Bool(false);
            json.EndObject();
        }

        private static void WriteProperties(JsonTextBuilder json, IEnumerable<FieldSpec> fields)
        {
            foreach (var field in fields)
            {
                json.Name(field.JsonName).StartObject();
                switch (field.Kind)
                {
                    case FieldKind.String:
                        json.Property("type", "string");
                        if (field.MaxLength is { } max)
                        {
                            json.Property("maxLength", max);
                        }

                        break;
                    case FieldKind.Int64:
                        json.Property("type", "integer");
                        break;
                    case FieldKind.Decimal:
                        json.Property("type", "number");
                        break;
                    case FieldKind.Bool:
                        json.Property("type", "boolean");
                        break;
                    case FieldKind.Timestamp:
                        json.Property("type", "string").Property("format", "date-time");
                        break;
                    default:
                        json.Property("$ref", $"#/$defs/{field.TypeName}");
                        break;
                }

                if (field.Minimum is { } minimum)
                {
                    json.Property("minimum", minimum);
                }

                if (field.Description.Length > 0)
                {
                    json.Property("description", field.Description);
                }

                json.EndObject();
            }
        }

        private static void WriteRequired(JsonTextBuilder json, IEnumerable<string> names)
        {
            json.Name("required").StartArray();
            foreach (var name in names)
            {
                json.String(name);
            }

            json.EndArray();
        }
    }
}
