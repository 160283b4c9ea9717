using Periscope.Doctor;

namespace Periscope.Tests.Doctor;

/// <summary>Whether OpenCode loaded the plugin, read from OpenCode 2's log as 2.1.2 writes it.</summary>
public sealed class PluginLoadEvidenceTests
{
    // Lines from real OpenCode 2.1.2 logs: a load of the current plugin, and the refusal of the old
    // module shape (named export only) that issue 25 started from.
    internal const string Loaded = "timestamp=2026-12-07T20:52:34.197Z level=INFO run=b863a668 msg=\"loading plugin\" id=@periscope/opencode-analytics entrypoint=file:///tmp/h/.cache/opencode/npm/@periscope/opencode-analytics@latest/1796676754193/node_modules/@periscope/opencode-analytics/index.js";
    internal const string Refused = "timestamp=2026-12-07T20:32:33.333Z level=WARN run=207d59ba message=\"failed to load plugin\" target=@periscope/opencode-analytics ref=err_e115b13b cause=\"Cause([Fail(PluginModule.LoadError: Plugin must export a default definition with an id and an effect or setup function. (cause: SchemaError(Missing key\\n  at [\\\"default\\\"])))])\"";
    private const string Other = "timestamp=2026-12-07T20:52:34.190Z level=INFO run=b863a668 msg=\"loading plugin\" id=opencode-anthropic-auth entrypoint=file:///x/index.js";

    [Fact]
    public void ALoad_IsFound_WithItsTime()
    {
        var found = PluginLoadEvidence.Last(["timestamp=2026-12-07T20:52:34.100Z level=INFO msg=\"server listening\"", Other, Loaded], "a.log");

        Assert.Equal(new PluginLoadEvidence.LogLine(false, "2026-12-07T20:52:34.197Z", Loaded, "a.log"), found);
    }

    [Fact]
    public void ARefusal_IsFound_WithItsCause()
    {
        var found = PluginLoadEvidence.Last([Refused], "a.log");

        Assert.NotNull(found);
        Assert.True(found.Failed);
        Assert.Equal("2026-12-07T20:32:33.333Z", found.When);
        Assert.Equal(Refused, found.Line);
        Assert.Equal("Cause([Fail(PluginModule.LoadError: Plugin must export a default definition with an id and an effect or setup function. (cause: SchemaError(Missing key at [\"default\"])))])", found.Cause);
    }

    [Fact]
    public void TheLastWord_Counts()
    {
        Assert.False(PluginLoadEvidence.Last([Refused, Loaded], "a.log")!.Failed);
        Assert.True(PluginLoadEvidence.Last([Loaded, Refused], "a.log")!.Failed);
    }

    [Theory]
    [InlineData("level=INFO id=x", "id", "x")]
    [InlineData("id=x level=INFO", "id", "x")]
    [InlineData("msg=\"a \\\"b\\\" c\" id=y", "msg", "a \"b\" c")]
    [InlineData("msg=\"unterminated", "msg", "unterminated")]
    [InlineData("xid=1", "id", null)]
    [InlineData("id=", "id", "")]
    public void LogfmtFields_AreRead_QuotedOrNot(string line, string key, string? value)
        => Assert.Equal(value, PluginLoadEvidence.Field(line, key));

    [Fact]
    public void OtherPluginsAndLines_AreNoEvidence()
        => Assert.Null(PluginLoadEvidence.Last([Other, "level=INFO msg=\"opencode-analytics mentioned\""], "a.log"));
}
