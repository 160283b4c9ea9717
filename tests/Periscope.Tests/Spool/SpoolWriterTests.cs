using Periscope.Events;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.Tests.Support;

namespace Periscope.Tests.Spool;

public sealed class SpoolWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Write_PutsOneFileNamedByEventId_AndLeavesNoTempFile()
    {
        var paths = new StatePaths(_temp.Combine("state"));
        var writer = new SpoolWriter(paths);

        var path = writer.Write(Session("s1", "first"));

        Assert.Equal(Path.Combine(paths.Spool, "id-1.json"), path);
        Assert.Empty(Directory.GetFiles(paths.SpoolTemp));
        Assert.True(EventJson.Read(File.ReadAllBytes(path)).Success);
    }

    [Fact]
    public void Write_OfTheSameId_ReplacesTheFile()
    {
        var paths = new StatePaths(_temp.Combine("state"));
        var writer = new SpoolWriter(paths);

        writer.Write(Session("s1", "first"));
        var path = writer.Write(Session("s1", "second"));

        Assert.Single(Directory.GetFiles(paths.Spool));
        Assert.Equal("second", Assert.IsType<SessionEvent>(EventJson.Read(File.ReadAllBytes(path)).Event).Title);
    }

    [Fact]
    public void ConcurrentWriters_OfTheSameEvent_LeaveOneWholeFile()
    {
        var paths = new StatePaths(_temp.Combine("state"));

        Parallel.For(0, 64, i => new SpoolWriter(paths).Write(Session("s1", "same")));

        var file = Assert.Single(Directory.GetFiles(paths.Spool));
        Assert.True(EventJson.Read(File.ReadAllBytes(file)).Success);
    }

    private static SessionEvent Session(string id, string title) => new()
    {
        EventId = "id-1",
        OccurredAt = DateTimeOffset.UnixEpoch,
        Client = new Client { Name = "periscope", Version = "0", Os = "linux", Arch = "x64" },
        SessionId = id,
        Title = title,
        IsSubagent = false,
    };
}
