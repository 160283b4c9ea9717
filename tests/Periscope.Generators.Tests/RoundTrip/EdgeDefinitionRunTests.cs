using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using Microsoft.CodeAnalysis;

namespace Periscope.Generators.Tests.RoundTrip;

/// <summary>
/// Compiles the code generated for Definitions/all-types.events.json (every type, required and
/// optional) into an assembly, loads it, and runs its reader and writer.
/// </summary>
public sealed class EdgeDefinitionRunTests
{
    private static readonly Lazy<Assembly> s_assembly = new(Compile);

    // Canonical form: compact, in definition order, non-ASCII escaped as the writer does.
    [Theory]
    [InlineData("""{"schema_version":1,"kind":"sample","event_id":"e1","occurred_at":"2026-11-24T19:36:33.377Z","text":"K\u00E4se\uD83E\uDDC0","maybe_text":"x","count":-5,"maybe_count":9223372036854775807,"amount":0.000000001,"maybe_amount":12345678901234567890.5,"flag":true,"maybe_flag":false,"at":"1970-01-01T00:00:00Z","maybe_at":"9999-12-31T23:59:59.999Z","color":"dark_green","maybe_color":"blue2","inner":{"label":"\u00E9\uD83D\uDE00xyz","depth":0},"maybe_inner":{"label":"a"},"path":"p","value":"v","error":"e"}""")]
    [InlineData("""{"schema_version":1,"kind":"sample","event_id":"e2","occurred_at":"2026-11-24T19:36:33Z","text":"","count":0,"amount":0,"flag":false,"at":"2026-11-24T19:36:33Z","color":"red","inner":{"label":""}}""")]
    [InlineData("""{"schema_version":1,"kind":"empty","event_id":"e3","occurred_at":"2026-11-24T19:36:33Z"}""")]
    public void CanonicalJson_ReadsAndWritesBackByteForByte(string json)
    {
        var (success, error, written) = ReadAndWrite(json);

        Assert.True(success, error);
        Assert.Equal(json, written);
    }

    [Theory]
    [InlineData("\"maybe_color\":\"blue2\"", "\"maybe_color\":\"purple\"", "$.maybe_color: unknown value 'purple' (expected one of: red, dark_green, blue2)")]
    [InlineData("\"label\":\"é😀xyz\"", "\"label\":\"é😀xyzw\"", "$.inner.label: longer than 5 characters")]
    [InlineData("\"count\":-5", "\"count\":-6", "$.count: less than -5")]
    [InlineData("\"maybe_flag\":false", "\"maybe_flag\":0", "$.maybe_flag: expected true or false, found a number")]
    [InlineData("\"maybe_at\":\"9999-12-31T23:59:59.999Z\"", "\"maybe_at\":\"yesterday\"", "$.maybe_at: not an ISO 8601 date-time")]
    [InlineData("\"maybe_inner\":{\"label\":\"a\"}", "\"maybe_inner\":{}", "$.maybe_inner.label: required property is missing")]
    [InlineData("\"maybe_amount\":12345678901234567890.5", "\"maybe_amount\":1e400", "$.maybe_amount: not a decimal number in range")]
    public void BrokenValues_AreRejected_WithTheirPath(string good, string bad, string message)
    {
        var json = """{"schema_version":1,"kind":"sample","event_id":"e1","occurred_at":"2026-11-24T19:36:33.377Z","text":"Käse🧀","maybe_text":"x","count":-5,"maybe_count":9223372036854775807,"amount":0.000000001,"maybe_amount":12345678901234567890.5,"flag":true,"maybe_flag":false,"at":"1970-01-01T00:00:00Z","maybe_at":"9999-12-31T23:59:59.999Z","color":"dark_green","maybe_color":"blue2","inner":{"label":"é😀xyz","depth":0},"maybe_inner":{"label":"a"},"path":"p","value":"v","error":"e"}""";
        Assert.Contains(good, json, StringComparison.Ordinal);

        var (success, error, _) = ReadAndWrite(json.Replace(good, bad, StringComparison.Ordinal));

        Assert.False(success);
        Assert.Equal(message, error);
    }

    private static (bool Success, string? Error, string? Written) ReadAndWrite(string json)
    {
        var eventJson = s_assembly.Value.GetType("Edge.AllTypes.EventJson")!;
        var result = eventJson.GetMethod("Read", [typeof(byte[])])!.Invoke(null, [Encoding.UTF8.GetBytes(json)])!;
        var resultType = result.GetType();
        var value = resultType.GetProperty("Event")!.GetValue(result);
        var error = (string?)resultType.GetProperty("Error")!.GetValue(result);
        if (value is null)
        {
            return (false, error, null);
        }

        var bytes = (byte[])eventJson.GetMethod("Serialize")!.Invoke(null, [value])!;
        return (true, error, Encoding.UTF8.GetString(bytes));
    }

    private static Assembly Compile()
    {
        var (result, output) = GeneratorHarness.Run(GeneratorHarness.Definition("all-types.events.json"));
        Assert.Empty(result.Diagnostics);

        // A thin public wrapper so reflection can call Read(ReadOnlySpan<byte>) with a byte[].
        var withShim = output.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText("""
            namespace Edge.AllTypes;
            public static partial class EventJson
            {
                public static EventReadResult Read(byte[] utf8Json) => Read(new global::System.ReadOnlySpan<byte>(utf8Json));
            }
            """, new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.Latest)));
        using var stream = new MemoryStream();
        var emit = withShim.Emit(stream);
        Assert.True(emit.Success, string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        stream.Position = 0;
        return new AssemblyLoadContext("all-types", isCollectible: true).LoadFromStream(stream);
    }
}
