using System.Text;
using System.Text.Json;
using Periscope.Git;

namespace Periscope.Tests.Git;

/// <summary>sessions/&lt;id&gt;.json without JsonSerializer: the same file as before, read back whole, damage refused.</summary>
public sealed class SessionGitStateJsonTests
{
    // As the JsonSerializer of earlier versions wrote it: a hook of this version must go on from there.
    private const string EarlierFile = """{"git_dir":"/work/repo/.git","reflog_length":4096,"reflog_top_offset":3900,"reflog_top_sha":"0123456789abcdef0123456789abcdef01234567","reflog_top_time":1795548993,"tool_windows":{"call_1":{"start":1795548993000,"end":1795548994000},"call_2":{"start":1795548995000,"end":null}}}""";

    [Fact]
    public void AFileFromEarlierVersions_IsReadWhole_AndWrittenTheSameWay()
    {
        var state = SessionGitStateJson.Read(Encoding.UTF8.GetBytes(EarlierFile));

        Assert.Equal(("/work/repo/.git", 4096L, 3900L, "0123456789abcdef0123456789abcdef01234567", 1795548993L), (state.GitDirectory, state.ReflogLength, state.ReflogTopOffset, state.ReflogTopSha, state.ReflogTopTime));
        Assert.Equal((1795548993000L, 1795548994000L), (state.ToolWindows["call_1"].Start!.Value, state.ToolWindows["call_1"].End!.Value));
        Assert.Null(state.ToolWindows["call_2"].End);
        using var written = new MemoryStream();
        SessionGitStateJson.Write(written, state);
        Assert.Equal(EarlierFile, Encoding.UTF8.GetString(written.ToArray()));
    }

    [Fact]
    public void UnknownMembers_AreSkipped_AndAFreshStateHasNoWindows()
    {
        var state = SessionGitStateJson.Read("""{"future":[1,{"a":2}],"reflog_length":7,"git_dir":null}"""u8);

        Assert.Equal(7, state.ReflogLength);
        Assert.Null(state.GitDirectory);
        Assert.Empty(state.ToolWindows);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{\"reflog_length\":")]
    [InlineData("{\"tool_windows\":{\"c\":{\"start\":1}")]
    public void DamagedFiles_AreRefused(string text)
        => Assert.ThrowsAny<JsonException>(() => SessionGitStateJson.Read(Encoding.UTF8.GetBytes(text)));
}
