using Microsoft.CodeAnalysis;

namespace Periscope.Generators.Tests.Diagnostics;

public sealed class DefinitionDiagnosticTests
{
    private const string Envelope = """
        {
          "envelope": {
            "namespace": "Diag",
            "schemaVersion": 1,
            "fields": [ { "name": "event_id", "type": "string", "required": true, "privacy": "metadata" } ]
          }
        }
        """;

    [Fact]
    public void MalformedJson_ReportsPSC0001_AtTheBrokenLine()
    {
        var diagnostic = Single("""
            {
              "envelope": {
                "namespace": "Diag",,
                "schemaVersion": 1
              }
            }
            """);

        AssertAt(diagnostic, "PSC0001", line: 3);
        Assert.Contains("not valid JSON", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownType_ReportsPSC0002_AtTheType()
    {
        var diagnostic = Single(Event("""
            { "name": "count", "type": "integer", "privacy": "metadata" }
            """));

        AssertAt(diagnostic, "PSC0002", line: 6);
        Assert.Contains("'integer'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateField_ReportsPSC0003()
    {
        var diagnostic = Single(Event("""
            { "name": "note", "type": "string", "privacy": "metadata" },
                    { "name": "note", "type": "bool", "privacy": "metadata" }
            """));

        AssertAt(diagnostic, "PSC0003", line: 7);
        Assert.Contains("field 'note'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void DuplicateKind_AcrossFiles_ReportsPSC0003()
    {
        var diagnostics = Diagnose(
            ("/defs/a.events.json", Envelope),
            ("/defs/b.events.json", """
                { "events": [ { "kind": "ping", "name": "PingEvent", "fields": [] } ] }
                """),
            ("/defs/c.events.json", """
                { "events": [
                  { "kind": "ping", "name": "OtherPingEvent", "fields": [] } ] }
                """));

        var diagnostic = Assert.Single(diagnostics);
        Assert.Equal("PSC0003", diagnostic.Id);
        Assert.Equal("/defs/c.events.json", diagnostic.Location.GetLineSpan().Path);
        Assert.Contains("event kind 'ping'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingPrivacy_ReportsPSC0004()
    {
        var diagnostic = Single(Event("""
            { "name": "note", "type": "string" }
            """));

        AssertAt(diagnostic, "PSC0004", line: 6);
        Assert.Contains("'privacy'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void MissingEnvelope_ReportsPSC0004()
    {
        var diagnostic = Assert.Single(Diagnose(("/defs/only-events.events.json", """{ "events": [] }""")));

        Assert.Equal("PSC0004", diagnostic.Id);
        Assert.Contains("'envelope'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("content")]
    [InlineData("secret")]
    [InlineData("Metadata")]
    public void PrivacyClassOtherThanMetadata_ReportsPSC0005(string privacy)
    {
        var diagnostic = Single(Event($$"""
            { "name": "prompt", "type": "string", "privacy": "{{privacy}}" }
            """));

        AssertAt(diagnostic, "PSC0005", line: 6);
        Assert.Contains($"'{privacy}'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "name": "n", "type": "int64", "maxLength": 3, "privacy": "metadata" }""", "'maxLength' applies to string fields only")]
    [InlineData("""{ "name": "n", "type": "string", "maxlength": 3, "privacy": "metadata" }""", "unknown attribute 'maxlength'")]
    [InlineData("""{ "name": "n", "type": "string", "maxLength": 0, "privacy": "metadata" }""", "'maxLength' must be an integer of at least 1")]
    [InlineData("""{ "name": "NotSnake", "type": "string", "privacy": "metadata" }""", "snake_case")]
    [InlineData("""{ "name": "kind", "type": "string", "privacy": "metadata" }""", "reserved")]
    public void InvalidAttribute_ReportsPSC0006(string field, string message)
    {
        var diagnostic = Single(Event(field));

        AssertAt(diagnostic, "PSC0006", line: 6);
        Assert.Contains(message, diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenDefinition_EmitsNoSource()
    {
        var (result, _) = GeneratorHarness.Run(("/defs/broken.events.json", Event("""{ "name": "x", "type": "nope", "privacy": "metadata" }""")));

        Assert.NotEmpty(result.Diagnostics);
        Assert.Empty(result.GeneratedSources);
    }

    [Fact]
    public void RealDefinition_HasNoDiagnostics()
        => Assert.Empty(Diagnose(GeneratorHarness.RealDefinition()));

    // The event's fields start on line 6 of this text.
    [Theory]
    [InlineData("Gen_AI.Model")]
    [InlineData("gen_ai..model")]
    [InlineData("gen ai.model")]
    [InlineData("")]
    public void OtelName_NotDottedLowercase_ReportsPSC0006(string name)
    {
        var diagnostic = Single(Event($$"""
            { "name": "model", "type": "string", "privacy": "metadata", "otel": "{{name}}" }
            """));

        AssertAt(diagnostic, "PSC0006", line: 6);
        Assert.Contains("lowercase words joined by dots", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtelAdd_NamingAFieldThatIsNotAnInt64Sibling_ReportsPSC0006()
    {
        var diagnostic = Single(Event("""
            { "name": "input", "type": "int64", "privacy": "metadata", "otel": "a.input", "otelAdd": ["note"] },
                    { "name": "note", "type": "string", "privacy": "metadata" }
            """));

        AssertAt(diagnostic, "PSC0006", line: 6);
        Assert.Contains("'note' is not one", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtelAdd_WithoutOtel_ReportsPSC0006()
    {
        var diagnostic = Single(Event("""
            { "name": "input", "type": "int64", "privacy": "metadata", "otelAdd": ["other"] }
            """));

        Assert.Equal("PSC0006", diagnostic.Id);
        Assert.Contains("'otelAdd' needs 'otel'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void OtelOnAnObjectField_ReportsPSC0006()
    {
        var diagnostic = Single("""
            {
              "envelope": { "namespace": "Diag", "schemaVersion": 1, "fields": [] },
              "objects": [ { "name": "Inner", "fields": [ { "name": "x", "type": "string", "privacy": "metadata" } ] } ],
              "events": [
                { "kind": "ping", "name": "PingEvent",
                  "fields": [ { "name": "inner", "type": "Inner", "privacy": "metadata", "otel": "a.inner" } ] }
              ]
            }
            """);

        AssertAt(diagnostic, "PSC0006", line: 6);
        Assert.Contains("'otel' belongs on value fields", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void OneAttributeTwiceInARecord_NestedIncluded_ReportsPSC0003()
    {
        var diagnostic = Single("""
            {
              "envelope": { "namespace": "Diag", "schemaVersion": 1, "fields": [] },
              "objects": [ { "name": "Inner", "fields": [ { "name": "x", "type": "string", "privacy": "metadata", "otel": "a.same" } ] } ],
              "events": [
                { "kind": "ping", "name": "PingEvent",
                  "fields": [
                    { "name": "inner", "type": "Inner", "privacy": "metadata" },
                    { "name": "y", "type": "string", "privacy": "metadata", "otel": "a.same" }
                  ] }
              ]
            }
            """);

        AssertAt(diagnostic, "PSC0003", line: 5);
        Assert.Contains("OpenTelemetry attribute 'a.same' in event 'ping'", diagnostic.GetMessage(), StringComparison.Ordinal);
    }

    private static string Event(string fields) => $$"""
        {
          "envelope": { "namespace": "Diag", "schemaVersion": 1, "fields": [] },
          "events": [
            { "kind": "ping", "name": "PingEvent",
              "fields": [
                {{fields}}
              ] }
          ]
        }
        """;

    private static Diagnostic Single(string definition)
        => Assert.Single(Diagnose(("/defs/test.events.json", definition)));

    private static IReadOnlyList<Diagnostic> Diagnose(params (string Path, string Text)[] definitions)
        => GeneratorHarness.Run(definitions).Result.Diagnostics;

    private static void AssertAt(Diagnostic diagnostic, string id, int line)
    {
        Assert.Equal(id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(line, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }
}
