using System.Text;
using System.Text.Json;
using Periscope.Events;

namespace Periscope.Generators.Tests.RoundTrip;

/// <summary>Writer -> reader through the generated code, compiled into this assembly by the real build.</summary>
public sealed class RoundTripTests
{
    [Theory]
    [MemberData(nameof(SampleEvents.Names), MemberType = typeof(SampleEvents))]
    public void WrittenEvent_ReadsBackEqual(string name)
    {
        var original = SampleEvents.ByName(name);
        Assert.Empty(original.Validate());

        var result = EventJson.Read(EventJson.Serialize(original));

        Assert.True(result.Success, result.Error);
        Assert.Equal(original, result.Event);
        Assert.Equal(original.GetType(), result.Event.GetType());
    }

    [Fact]
    public void AbsentOptionalFields_AreLeftOutOfTheJson()
    {
        var json = Encoding.UTF8.GetString(EventJson.Serialize(SampleEvents.MinimalSession()));

        Assert.DoesNotContain("title", json, StringComparison.Ordinal);
        Assert.DoesNotContain("git", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public void EnvelopeComesFirst_InDefinitionOrder()
    {
        var json = Encoding.UTF8.GetString(EventJson.Serialize(SampleEvents.MinimalCommit()));

        Assert.StartsWith("""{"schema_version":1,"kind":"commit","event_id":"commit-2","occurred_at":"1970-01-01T00:00:00Z","client":{""", json, StringComparison.Ordinal);
    }

    [Fact]
    public void LargeNumbers_SurviveExactly()
    {
        var json = Encoding.UTF8.GetString(EventJson.Serialize(SampleEvents.FullAssistantMessage()));

        Assert.Contains("\"input\":9223372036854775807", json, StringComparison.Ordinal);
        Assert.Contains("\"reasoning\":9007199254740993", json, StringComparison.Ordinal);
        Assert.Contains("\"cost_usd\":79228162514264.337593543950335", json, StringComparison.Ordinal);
    }

    [Fact]
    public void PropertiesMayComeInAnyOrder_AndNullMeansAbsent()
    {
        var json = """
            {"session_id":"s","is_subagent":false,"title":null,"client":{"arch":"x64","os":"linux","version":"1","name":"periscope"},
             "occurred_at":"2026-11-24T19:36:30.670+01:00","event_id":"e","kind":"session","schema_version":1}
            """;

        var result = EventJson.Read(Encoding.UTF8.GetBytes(json));

        Assert.True(result.Success, result.Error);
        var session = Assert.IsType<SessionEvent>(result.Event);
        Assert.Null(session.Title);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 18, 36, 30, 670, TimeSpan.Zero), session.OccurredAt);
    }

    [Fact]
    public void Schema_DescribesExactlyWhatTheWriterWrites()
    {
        using var schema = JsonDocument.Parse(EventJson.Schema);
        var root = schema.RootElement;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", root.GetProperty("$schema").GetString());
        Assert.Equal(["#/$defs/assistant_message", "#/$defs/commit", "#/$defs/session", "#/$defs/session_usage"], root.GetProperty("oneOf").EnumerateArray().Select(r => r.GetProperty("$ref").GetString()));

        foreach (var sample in new IPeriscopeEvent[] { SampleEvents.FullAssistantMessage(), SampleEvents.FullSession(), SampleEvents.FullCommit(), SampleEvents.SessionTotals() })
        {
            using var written = JsonDocument.Parse(EventJson.Serialize(sample));
            Assert.Equal(
                root.GetProperty("$defs").GetProperty(sample.Kind).GetProperty("properties").EnumerateObject().Count(),
                written.RootElement.EnumerateObject().Count());
            var definition = root.GetProperty("$defs").GetProperty(sample.Kind);
            AssertObjectMatches(root, definition, written.RootElement, sample.Kind);
        }
    }

    private static void AssertObjectMatches(JsonElement root, JsonElement definition, JsonElement value, string path)
    {
        Assert.False(definition.GetProperty("additionalProperties").GetBoolean());
        var properties = definition.GetProperty("properties");
        var declared = properties.EnumerateObject().Select(p => p.Name).ToList();
        var written = value.EnumerateObject().Select(p => p.Name).ToList();
        // Optional fields may be absent; what is written is declared, in the declared order.
        Assert.Equal(declared.Where(written.Contains), written);
        foreach (var required in definition.GetProperty("required").EnumerateArray())
        {
            Assert.Contains(required.GetString(), written);
        }

        foreach (var property in value.EnumerateObject())
        {
            var spec = properties.GetProperty(property.Name);
            if (spec.TryGetProperty("$ref", out var reference))
            {
                var target = root.GetProperty("$defs").GetProperty(reference.GetString()!["#/$defs/".Length..]);
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    AssertObjectMatches(root, target, property.Value, path + "." + property.Name);
                }
                else
                {
                    Assert.Contains(property.Value.GetString(), target.GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
                }
            }
            else if (spec.TryGetProperty("type", out var type))
            {
                var expected = type.GetString() switch
                {
                    "string" => JsonValueKind.String,
                    "integer" or "number" => JsonValueKind.Number,
                    "boolean" => property.Value.ValueKind is JsonValueKind.True ? JsonValueKind.True : JsonValueKind.False,
                    _ => JsonValueKind.Undefined,
                };
                Assert.True(expected == property.Value.ValueKind, $"{path}.{property.Name}: schema says {type}, writer wrote {property.Value.ValueKind}");
            }
        }
    }
}
