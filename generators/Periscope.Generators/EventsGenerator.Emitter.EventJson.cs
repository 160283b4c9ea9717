using System.Globalization;
using System.Linq;
using Periscope.Generators.Model;

namespace Periscope.Generators;

public sealed partial class EventsGenerator
{
    internal static partial class Emitter
    {
        private static string EmitEventJson(DefinitionSpec definition)
        {
            var ns = definition.Envelope.Namespace;
            var version = definition.Envelope.SchemaVersion.ToString(CultureInfo.InvariantCulture);
            var w = Begin(ns);
            Summary(w, "The outcome of reading one event: the event, or a message saying what is wrong and where.");
            w.WriteLine(GeneratedCode);
            w.OpenBlock("public readonly record struct EventReadResult(global::" + ns + ".IPeriscopeEvent? Event, string? Error)");
            Summary(w, "True when an event was read and is valid.");
            w.WriteLine("[global::System.Diagnostics.CodeAnalysis.MemberNotNullWhen(true, nameof(Event))]");
            w.WriteLine("public bool Success => Event is not null;");
            w.CloseBlock();
            w.WriteLine();
            Summary(w, "Reads and writes events in the wire format, without reflection; carries the JSON Schema.");
            w.WriteLine(GeneratedCode);
            w.OpenBlock("public static partial class EventJson");
            Summary(w, "Version of the wire format this build writes and reads.");
            w.WriteLine($"public const long SchemaVersion = {version};");
            w.WriteLine();
            Summary(w, "Every event kind, ordered.");
            w.WriteLine($"public static global::System.Collections.Generic.IReadOnlyList<string> Kinds {{ get; }} = [{string.Join(", ", definition.Events.Select(e => Literal(e.Kind)))}];");
            w.WriteLine();
            Summary(w, "JSON Schema (draft 2020-12) of one event on the wire.");
            w.WriteLine($"public const string Schema = {VerbatimLiteral(EmitSchema(definition))};");
            w.WriteLine();
            Summary(w, "Writes one event as compact JSON (UTF-8).");
            w.OpenBlock($"public static byte[] Serialize(global::{ns}.IPeriscopeEvent value)");
            w.WriteLine("var buffer = new global::System.Buffers.ArrayBufferWriter<byte>(512);");
            w.WriteLine("var options = default(global::System.Text.Json.JsonWriterOptions);");
            w.WriteLine("ConfigureWriter(ref options);");
            w.OpenBlock($"using (var writer = new {Writer}(buffer, options))");
            w.WriteLine("value.WriteTo(writer);");
            w.CloseBlock();
            w.WriteLine("return buffer.WrittenSpan.ToArray();");
            w.CloseBlock();
            w.WriteLine();
            Summary(w, "Lets the project set the writer's options (e.g. its encoder) in a partial declaration of its own; the defaults otherwise.");
            w.WriteLine("static partial void ConfigureWriter(ref global::System.Text.Json.JsonWriterOptions options);");
            w.WriteLine();
            Summary(w, "Reads one event of any kind from UTF-8 JSON and validates it. Never throws for bad input.");
            w.OpenBlock($"public static global::{ns}.EventReadResult Read(global::System.ReadOnlySpan<byte> utf8Json)");
            w.WriteLine("if (global::System.MemoryExtensions.Trim(utf8Json, \" \\t\\r\\n\"u8).IsEmpty) return new(null, \"$: empty input\");");
            w.OpenBlock("try");
            w.WriteLine($"var reader = new {Reader}(utf8Json, new global::System.Text.Json.JsonReaderOptions {{ MaxDepth = 16 }});");
            w.WriteLine("if (!reader.Read()) return new(null, \"$: empty input\");");
            w.WriteLine($"if (reader.TokenType != {TokenType}.StartObject) return new(null, \"$: expected an object, found \" + EventJsonPrimitives.Describe(reader.TokenType));");
            w.WriteLine("global::" + ns + ".IPeriscopeEvent? value;");
            w.WriteLine("string? error;");
            w.WriteLine("var kind = FindKind(utf8Json);");
            w.OpenBlock("switch (kind)");
            foreach (var e in definition.Events)
            {
                w.OpenBlock($"case {Literal(e.Kind)}:");
                w.WriteLine($"global::{ns}.{e.Name}.TryRead(ref reader, \"$\", out var {Local(e.Name)}, out error);");
                w.WriteLine($"value = {Local(e.Name)};");
                w.WriteLine("break;");
                w.CloseBlock();
            }

            w.WriteLine("case null: return new(null, \"$.kind: required property is missing or not a string\");");
            w.WriteLine($"default: return new(null, \"$.kind: unknown event kind '\" + EventJsonPrimitives.Clip(kind) + \"' (expected one of: {string.Join(", ", definition.Events.Select(e => e.Kind))})\");");
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine("if (value is null) return new(null, error);");
            w.WriteLine("if (reader.Read()) return new(null, \"$: unexpected content after the event\");");
            w.WriteLine("var problems = value.Validate();");
            w.WriteLine("return problems.Count == 0 ? new(value, null) : new(null, string.Join(\"; \", problems));");
            w.CloseBlock();
            w.WriteLine("// Invalid UTF-8 inside a string surfaces from GetString as InvalidOperationException.");
            w.OpenBlock("catch (global::System.InvalidOperationException)");
            w.WriteLine("return new(null, \"$: a string is not valid UTF-8\");");
            w.CloseBlock();
            w.OpenBlock("catch (global::System.Text.Json.JsonException ex)");
            w.WriteLine("return new(null, \"malformed JSON at line \" + ((ex.LineNumber ?? 0) + 1).ToString(global::System.Globalization.CultureInfo.InvariantCulture) + \", byte \" + ((ex.BytePositionInLine ?? 0) + 1).ToString(global::System.Globalization.CultureInfo.InvariantCulture));");
            w.CloseBlock();
            w.CloseBlock();
            w.WriteLine();
            w.WriteLine("// The kind decides which reader runs, and it may stand anywhere in the object: look for it first.");
            w.OpenBlock("private static string? FindKind(global::System.ReadOnlySpan<byte> utf8Json)");
            w.WriteLine($"var reader = new {Reader}(utf8Json, new global::System.Text.Json.JsonReaderOptions {{ MaxDepth = 16 }});");
            w.WriteLine("reader.Read();");
            w.OpenBlock($"while (reader.Read() && reader.TokenType == {TokenType}.PropertyName)");
            w.WriteLine("var isKind = reader.ValueTextEquals(\"kind\"u8);");
            w.WriteLine("reader.Read();");
            w.WriteLine($"if (isKind) return reader.TokenType == {TokenType}.String ? reader.GetString() : null;");
            w.WriteLine("reader.Skip();");
            w.CloseBlock();
            w.WriteLine("return null;");
            w.CloseBlock();
            w.CloseBlock();
            return w.ToString();
        }

        private static string EmitPrimitives(string ns)
        {
            var w = Begin(ns);
            Summary(w, "Readers of single JSON values shared by the generated records. A null token reads as absent.");
            w.WriteLine(GeneratedCode);
            w.OpenBlock("internal static class EventJsonPrimitives");
            EmitPrimitiveReader(w, "String", "string", $"{TokenType}.String", "value = reader.GetString();", "a string");
            EmitPrimitiveReader(w, "Int64", "long", $"{TokenType}.Number", "if (!reader.TryGetInt64(out var number)) { error = path + \".\" + name + \": not a 64-bit integer\"; return false; } value = number;", "an integer");
            EmitPrimitiveReader(w, "Decimal", "decimal", $"{TokenType}.Number", "if (!reader.TryGetDecimal(out var number)) { error = path + \".\" + name + \": not a decimal number in range\"; return false; } value = number;", "a number");
            EmitPrimitiveReader(w, "Bool", "bool", $"{TokenType}.True or {TokenType}.False", $"value = reader.TokenType == {TokenType}.True;", "true or false");
            EmitPrimitiveReader(w, "Timestamp", "global::System.DateTimeOffset", $"{TokenType}.String", "if (!reader.TryGetDateTimeOffset(out var timestamp)) { error = path + \".\" + name + \": not an ISO 8601 date-time\"; return false; } value = timestamp;", "a date-time string");
            Summary(w, "Length in Unicode code points, as JSON Schema's maxLength counts: a surrogate pair is one.");
            w.OpenBlock("public static int CodePointLength(string value)");
            w.WriteLine("var length = value.Length;");
            w.WriteLine("foreach (var c in value) { if (char.IsLowSurrogate(c)) length--; }");
            w.WriteLine("return length;");
            w.CloseBlock();
            w.WriteLine();
            Summary(w, "Shortens untrusted text quoted in an error message.");
            w.WriteLine("public static string Clip(string? text) => text is null ? string.Empty : text.Length <= 64 ? text : text.Substring(0, 64) + \"...\";");
            w.WriteLine();
            Summary(w, "Names a token the way an error message should.");
            w.OpenBlock($"public static string Describe({TokenType} token) => token switch");
            w.WriteLine($"{TokenType}.StartObject => \"an object\",");
            w.WriteLine($"{TokenType}.StartArray => \"an array\",");
            w.WriteLine($"{TokenType}.String => \"a string\",");
            w.WriteLine($"{TokenType}.Number => \"a number\",");
            w.WriteLine($"{TokenType}.True or {TokenType}.False => \"a boolean\",");
            w.WriteLine($"{TokenType}.Null => \"null\",");
            w.WriteLine("_ => token.ToString(),");
            w.CloseBlock(";");
            w.CloseBlock();
            return w.ToString();
        }

        private static void EmitPrimitiveReader(SourceWriter w, string name, string type, string tokens, string read, string expected)
        {
            // The property's path is joined only for an error: a successful read allocates no path.
            w.OpenBlock($"public static bool TryRead{name}(ref {Reader} reader, string path, string name, out {type}? value, [global::System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)");
            w.WriteLine("value = null;");
            w.WriteLine("error = null;");
            w.WriteLine($"if (reader.TokenType == {TokenType}.Null) return true;");
            w.WriteLine($"if (reader.TokenType is not ({tokens})) {{ error = path + \".\" + name + \": expected {expected}, found \" + Describe(reader.TokenType); return false; }}");
            w.WriteLine(read);
            w.WriteLine("return true;");
            w.CloseBlock();
            w.WriteLine();
        }

        private static string VerbatimLiteral(string text) => "@\"" + text.Replace("\"", "\"\"") + "\"";
    }
}
