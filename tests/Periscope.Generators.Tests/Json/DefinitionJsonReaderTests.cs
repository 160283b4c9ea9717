using Periscope.Generators.Json;

namespace Periscope.Generators.Tests.Json;

/// <summary>The generator's own JSON reader: string escapes as JSON defines them, and clear errors for bad ones.</summary>
public sealed class DefinitionJsonReaderTests
{
    [Theory]
    [InlineData("plain", "plain")]
    [InlineData("a\\\"quote\\\"", "a\"quote\"")]
    [InlineData("back\\\\slash", "back\\slash")]
    [InlineData("a\\/b", "a/b")]
    [InlineData("\\b\\f\\n\\r\\t", "\b\f\n\r\t")]
    [InlineData("caf\\u00e9", "café")]
    [InlineData("\\u00C9T\\u00c9", "ÉTÉ")]
    [InlineData("\\ud83d\\ude00 grin", "\ud83d\ude00 grin")]
    [InlineData("end\\\\", "end\\")]
    public void StringEscapes_AreDecoded(string escaped, string expected)
    {
        var node = DefinitionJsonReader.Parse("/defs/escapes.json", "{\"description\":\"" + escaped + "\"}");

        var property = Assert.Single(Assert.IsType<JsonObjectNode>(node).Properties);
        Assert.Equal(expected, Assert.IsType<JsonStringNode>(property.Value).Value);
    }

    [Theory]
    [InlineData("bad \\x escape", "invalid escape '\\x'")]
    [InlineData("short \\u12", "invalid \\u escape")]
    [InlineData("not hex \\u12zz", "invalid \\u escape")]
    [InlineData("ends in \\", "unterminated")]
    public void BadEscapes_AreErrors_WithTheirPlace(string escaped, string message)
    {
        var error = Assert.ThrowsAny<Exception>(() => DefinitionJsonReader.Parse("/defs/escapes.json", "{\"description\":\"" + escaped + "\"}"));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }
}
