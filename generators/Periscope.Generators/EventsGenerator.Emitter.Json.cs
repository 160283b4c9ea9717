using System.Collections.Generic;
using System.Linq;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    internal static partial class Emitter
    {
        private static void EmitWriteTo(SourceWriter w, string ns, List<FieldSpec> fields, EventSpec? eventSpec)
        {
            Summary(w, "Writes this value as one JSON object; absent optional fields are left out.");
            w.OpenBlock($"public void WriteTo({Writer} writer)");
            w.WriteLine("writer.WriteStartObject();");
            if (eventSpec is not null)
            {
                w.WriteLine($"writer.WriteNumber(\"schema_version\"u8, global::{ns}.EventJson.SchemaVersion);");
                w.WriteLine("writer.WriteString(\"kind\"u8, KindName);");
            }

            foreach (var field in fields)
            {
                var name = $"{Literal(field.JsonName)}u8";
                var value = field.Required || !field.IsValueType ? field.PropertyName : field.PropertyName + ".Value";
                var write = field.Kind switch
                {
                    FieldKind.String => $"writer.WriteString({name}, {value});",
                    FieldKind.Int64 or FieldKind.Decimal => $"writer.WriteNumber({name}, {value});",
                    FieldKind.Bool => $"writer.WriteBoolean({name}, {value});",
                    FieldKind.Timestamp => $"writer.WriteString({name}, {value}.UtcDateTime);",
                    FieldKind.Enum => $"writer.WriteString({name}, global::{ns}.{field.TypeName}Wire.ToWireName({value}));",
                    _ => $"writer.WritePropertyName({name}); {value}.WriteTo(writer);",
                };

                if (field.Required && field.IsValueType)
                {
                    w.WriteLine(write);
                }
                else
                {
                    w.WriteLine($"if ({field.PropertyName} is not null) {{ {write} }}");
                }
            }

            w.WriteLine("writer.WriteEndObject();");
            w.CloseBlock();
        }

        private static void EmitTryRead(SourceWriter w, string ns, string name, List<FieldSpec> fields, EventSpec? eventSpec)
        {
            const string P = "global::{0}.EventJsonPrimitives";
            var primitives = string.Format(System.Globalization.CultureInfo.InvariantCulture, P, ns);
            Summary(w, "Reads one object at the reader's current StartObject token. Types, required fields and enum values are checked here; limits by Validate.");
            w.OpenBlock($"internal static bool TryRead(ref {Reader} reader, string path, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out global::{ns}.{name}? value, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)");
            w.WriteLine("value = null;");
            w.OpenBlock($"if (reader.TokenType != {TokenType}.StartObject)");
            w.WriteLine($"error = path + \": expected an object, found \" + {primitives}.Describe(reader.TokenType);");
            w.WriteLine("return false;");
            w.CloseBlock();
            w.WriteLine();
            if (eventSpec is not null)
            {
                w.WriteLine("long? schemaVersion = null;");
                w.WriteLine("string? kind = null;");
            }

            foreach (var field in fields)
            {
                w.WriteLine($"{StorageType(ns, field)} {Local(field.PropertyName)} = null;");
            }

            w.OpenBlock($"while (reader.Read() && reader.TokenType == {TokenType}.PropertyName)");
            var first = true;
            if (eventSpec is not null)
            {
                EmitPropertyBranch(w, "schema_version", $"if (!{primitives}.TryReadInt64(ref reader, path, \"schema_version\", out schemaVersion, out error)) return false;", ref first);
                EmitPropertyBranch(w, "kind", $"if (!{primitives}.TryReadString(ref reader, path, \"kind\", out kind, out error)) return false;", ref first);
            }

            foreach (var field in fields)
            {
                EmitPropertyBranch(w, field.JsonName, ReadStatement(ns, primitives, field), ref first);
            }

            w.OpenBlock(first ? string.Empty : "else");
            w.WriteLine($"error = path + \": unknown property '\" + {primitives}.Clip(reader.GetString()) + \"'\";");
            w.WriteLine("return false;");
            w.CloseBlock();
            w.CloseBlock();
            w.WriteLine();
            if (eventSpec is not null)
            {
                w.WriteLine($"if (schemaVersion is null) {{ error = path + \".schema_version: required property is missing\"; return false; }}");
                w.WriteLine($"if (schemaVersion != global::{ns}.EventJson.SchemaVersion) {{ error = path + \".schema_version: version \" + schemaVersion.Value.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \" is not supported (this build reads \" + global::{ns}.EventJson.SchemaVersion.ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \")\"; return false; }}");
                w.WriteLine($"if (kind != KindName) {{ error = path + \".kind: expected '\" + KindName + \"'\"; return false; }}");
            }

            foreach (var field in fields.Where(f => f.Required))
            {
                w.WriteLine($"if ({Local(field.PropertyName)} is null) {{ error = path + \".{field.JsonName}: required property is missing\"; return false; }}");
            }

            w.WriteLine();
            w.OpenBlock($"value = new global::{ns}.{name}");
            foreach (var field in fields)
            {
                var local = Local(field.PropertyName);
                var read = field.Required ? (field.IsValueType ? local + ".Value" : local) : local;
                w.WriteLine($"{field.PropertyName} = {read},");
            }

            w.CloseBlock(";");
            w.WriteLine("error = null;");
            w.WriteLine("return true;");
            w.CloseBlock();
        }

        private static void EmitPropertyBranch(SourceWriter w, string jsonName, string statement, ref bool first)
        {
            w.OpenBlock($"{(first ? "if" : "else if")} (reader.ValueTextEquals({Literal(jsonName)}u8))");
            w.WriteLine("reader.Read();");
            w.WriteLine(statement);
            w.CloseBlock();
            first = false;
        }

        // Locals are nullable whatever the field: null means "not seen yet".
        private static string StorageType(string ns, FieldSpec field)
        {
            var type = TypeOf(ns, field);
            return type.EndsWith("?", System.StringComparison.Ordinal) ? type : type + "?";
        }

        private static string ReadStatement(string ns, string primitives, FieldSpec field)
        {
            var local = Local(field.PropertyName);
            var path = $"path + \".{field.JsonName}\"";
            var at = $"path, {Literal(field.JsonName)}";
            return field.Kind switch
            {
                FieldKind.String => $"if (!{primitives}.TryReadString(ref reader, {at}, out {local}, out error)) return false;",
                FieldKind.Int64 => $"if (!{primitives}.TryReadInt64(ref reader, {at}, out {local}, out error)) return false;",
                FieldKind.Decimal => $"if (!{primitives}.TryReadDecimal(ref reader, {at}, out {local}, out error)) return false;",
                FieldKind.Bool => $"if (!{primitives}.TryReadBool(ref reader, {at}, out {local}, out error)) return false;",
                FieldKind.Timestamp => $"if (!{primitives}.TryReadTimestamp(ref reader, {at}, out {local}, out error)) return false;",
                FieldKind.Enum =>
                    $"if (!{primitives}.TryReadString(ref reader, {at}, out var {local}Text, out error)) return false; "
                    + $"if ({local}Text is not null) {{ if (!global::{ns}.{field.TypeName}Wire.TryParse({local}Text, out var {local}Parsed)) {{ error = {path} + \": unknown value '\" + {primitives}.Clip({local}Text) + \"' (expected one of: \" + string.Join(\", \", global::{ns}.{field.TypeName}Wire.Names) + \")\"; return false; }} {local} = {local}Parsed; }}",
                _ => $"if (reader.TokenType != {TokenType}.Null && !global::{ns}.{field.TypeName}.TryRead(ref reader, {path}, out {local}, out error)) return false;",
            };
        }
    }
}
