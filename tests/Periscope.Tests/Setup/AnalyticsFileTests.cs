using System.Text.Json;
using Periscope.Setup;

namespace Periscope.Tests.Setup;

/// <summary>install --otlp: the receiver spliced into analytics.json as text, everything else kept.</summary>
public sealed class AnalyticsFileTests
{
    [Theory]
    [InlineData("{}")]
    [InlineData("{ }\n")]
    [InlineData("{\n  \"endpoint\": \"https://ingest.example.com\"\n}\n")]
    [InlineData("{\n  // where events go\n  \"endpoint\": \"https://ingest.example.com\", /* kept */\n}\n")]
    [InlineData("{\"spool\": {\"maxEvents\": 5}}")]
    public void AddOtlp_KeepsEveryOtherByte_AndReadsBack(string before)
    {
        var after = AnalyticsFile.AddOtlp(before, "http://localhost:4318")!;

        using var document = JsonDocument.Parse(after, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        Assert.Equal("http://localhost:4318", document.RootElement.GetProperty("otlp").GetProperty("endpoint").GetString());
        var inserted = AnalyticsFile.Inserted(before.Contains(':', StringComparison.Ordinal), "http://localhost:4318");
        Assert.Equal(before, after.Replace(inserted, string.Empty, StringComparison.Ordinal)); // nothing else changed
    }

    [Fact]
    public void AddOtlp_WhenOneIsThere_ChangesNothing()
        => Assert.Null(AnalyticsFile.AddOtlp("{\"otlp\": {\"endpoint\": \"http://a:4318\"}}", "http://b:4318"));

    [Fact]
    public void AddOtlp_ToSomethingThatIsNotAnObject_Throws()
        => Assert.Throws<JsonException>(() => AnalyticsFile.AddOtlp("[1, 2]", "http://localhost:4318"));

    [Theory]
    [InlineData(null, null, "{}\n")]
    [InlineData("https://ingest.example.com", null, "{\n  \"endpoint\": \"https://ingest.example.com\"\n}\n")]
    [InlineData(null, "http://localhost:4318", "{\n  \"otlp\": { \"endpoint\": \"http://localhost:4318\" }\n}\n")]
    public void Create_WritesWhatWasAsked(string? endpoint, string? otlp, string expected)
        => Assert.Equal(expected, AnalyticsFile.Create(endpoint, otlp));
}
