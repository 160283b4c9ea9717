using System.Text.Json;
using Periscope.Setup;
using Periscope.Tests.Support;

namespace Periscope.Tests.Setup;

/// <summary>Editing OpenCode's "plugin" array as text: the user's comments, order and formatting survive.</summary>
public sealed class PluginListTests
{
    private const string Name = PluginList.PackageName;

    [Fact]
    public void Adding_AppendsToTheArray_AndKeepsCommentsAndTrailingCommas()
    {
        const string Text = """
            {
              // my model
              "model": "x/y", /* keep */
              "plugin": ["other", ["tuple-plugin", {"a": 1}]],
            }
            """;

        var added = PluginList.Parse(Text).WithPeriscope();

        Assert.Equal(Text.Replace("{\"a\": 1}]]", "{\"a\": 1}], \"" + Name + "\"]", StringComparison.Ordinal), added);
        var reread = PluginList.Parse(added);
        Assert.True(reread.Listed);
        Assert.Equal(["other", "tuple-plugin", Name], reread.Names);
    }

    [Theory]
    [InlineData("{}", "{\n  \"plugin\": [\"" + Name + "\"]\n}")]
    [InlineData("{\n    \"model\": \"x/y\"\n}", "{\n    \"plugin\": [\"" + Name + "\"],\n    \"model\": \"x/y\"\n}")]
    [InlineData("{\"plugin\": []}", "{\"plugin\": [\"" + Name + "\"]}")]
    public void Adding_CreatesWhatIsMissing(string before, string after)
    {
        var added = PluginList.Parse(before).WithPeriscope();

        Assert.Equal(after, added);
        using var _ = JsonDocument.Parse(added);
    }

    [Theory]
    [InlineData("{\"plugin\": [\"" + Name + "\"]}")]
    [InlineData("{\"plugin\": [\"" + Name + "@0.3.1\"]}")]
    [InlineData("{\"plugin\": [[\"" + Name + "\", {}]]}")]
    public void AnyVersionOrPairOfThePackage_CountsAsListed_AndAddingChangesNothing(string text)
    {
        var list = PluginList.Parse(text);

        Assert.True(list.Listed);
        Assert.Equal(text, list.WithPeriscope());
    }

    [Theory]
    [InlineData("{\"plugin\": [\"" + Name + "\"]}", "{\"plugin\": []}")]
    [InlineData("{\"plugin\": [\"" + Name + "\", \"b\"]}", "{\"plugin\": [\"b\"]}")]
    [InlineData("{\"plugin\": [\"a\", \"" + Name + "\"]}", "{\"plugin\": [\"a\"]}")]
    [InlineData("{\"plugin\": [\"a\", \"" + Name + "@1.0.0\", \"b\"]}", "{\"plugin\": [\"a\", \"b\"]}")]
    [InlineData("{\"plugin\": [\n  \"a\",\n  [\"" + Name + "\", {\"x\": [1]}],\n  // c\n  \"b\"\n]}", "{\"plugin\": [\n  \"a\",\n  // c\n  \"b\"\n]}")]
    [InlineData("{\"plugin\": [\"a\"]}", "{\"plugin\": [\"a\"]}")]
    public void Removing_TakesTheEntryAndOneComma(string before, string after)
    {
        var removed = PluginList.Parse(before).WithoutPeriscope();

        Assert.Equal(after, removed);
        Assert.False(PluginList.Parse(removed).Listed);
    }

    [Fact]
    public void TextBeforeTheArrayOutsideAscii_DoesNotShiftTheEdit()
    {
        const string Text = "{\"title\": \"Café ☕ 日本\", \"plugin\": [\"a\"]}";

        Assert.Equal("{\"title\": \"Café ☕ 日本\", \"plugin\": [\"a\", \"" + Name + "\"]}", PluginList.Parse(Text).WithPeriscope());
    }

    [Fact]
    public void TheOlderObjectForm_IsRecognised_ButDoesNotCountAsListed()
    {
        var list = PluginList.Parse("{\"plugins\": {\"" + Name + "\": {\"enabled\": true}}}");

        Assert.True(list.ListedInOldForm);
        Assert.False(list.Listed);
        Assert.Contains("\"plugin\": [\"" + Name + "\"]", list.WithPeriscope(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"plugins\": [\"@periscope/opencode-analytics\"]}")]
    [InlineData("{\"plugins\": [\"other\", {\"package\": \"@periscope/opencode-analytics@1.2.3\", \"options\": {\"a\": [1]}}]}")]
    public void OpenCode2sPluginsList_IsRecognised_AsListedForOpenCode2Only(string text)
    {
        var list = PluginList.Parse(text);

        Assert.True(list.ListedForOpenCode2Only);
        Assert.False(list.Listed);
        Assert.False(list.ListedInOldForm);
        Assert.False(PluginList.Parse("{\"plugins\": [\"other\", {\"package\": \"another\"}]}").ListedForOpenCode2Only);
    }

    [Fact]
    public void ALocalCopyOfThePackage_CountsAsListed()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.Combine("package.json"), "{\"name\": \"" + Name + "\"}");
        var other = Directory.CreateDirectory(temp.Combine("other")).FullName;
        File.WriteAllText(Path.Combine(other, "package.json"), "{\"name\": \"something-else\"}");

        Assert.True(PluginList.IsPeriscope(new Uri(temp.Path).AbsoluteUri));
        Assert.False(PluginList.IsPeriscope(new Uri(other).AbsoluteUri));
        Assert.False(PluginList.IsPeriscope("@periscope/opencode-analytics-linux-x64"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"plugin\": [")]
    [InlineData("{\"a\": 1} trailing")]
    public void NotAJsonObject_IsAJsonError(string text)
        => Assert.ThrowsAny<JsonException>(() => PluginList.Parse(text));
}
