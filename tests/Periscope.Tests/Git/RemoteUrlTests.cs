using Periscope.Git;

namespace Periscope.Tests.Git;

public sealed class RemoteUrlTests
{
    [Theory]
    [InlineData("https://alice:s3cr3t@example.com/org/repo.git", "https://example.com/org/repo.git")]
    [InlineData("https://s3cr3t@example.com/org/repo.git", "https://example.com/org/repo.git")]
    [InlineData("https://x-access-token:s3cr3t@github.example/org/repo", "https://github.example/org/repo")]
    [InlineData("http://alice:s3cr3t@example.com:8080/repo.git", "http://example.com:8080/repo.git")]
    [InlineData("https://example.com/org/repo.git?private_token=s3cr3t", "https://example.com/org/repo.git")]
    [InlineData("https://example.com/org/repo.git#s3cr3t", "https://example.com/org/repo.git")]
    [InlineData("ssh://git:s3cr3t@example.com:2222/org/repo.git", "ssh://git@example.com:2222/org/repo.git")]
    [InlineData("ssh://git@example.com/org/repo.git", "ssh://git@example.com/org/repo.git")]
    [InlineData("ssh://:s3cr3t@example.com/org/repo.git", "ssh://example.com/org/repo.git")]
    [InlineData("git+ssh://git:s3cr3t@example.com/repo.git", "git+ssh://git@example.com/repo.git")]
    [InlineData("git@example.com:org/repo.git", "git@example.com:org/repo.git")]
    [InlineData("alice:s3cr3t@example.com:org/repo.git", "alice@example.com:org/repo.git")]
    [InlineData("example.com:org/repo.git", "example.com:org/repo.git")]
    [InlineData("git://example.com/repo.git", "git://example.com/repo.git")]
    [InlineData("file:///home/alice/s3cr3t-projects/repo.git", "repo")]
    [InlineData("/home/alice/s3cr3t-projects/repo", "repo")]
    [InlineData("/home/alice/s3cr3t-projects/repo/.git", "repo")]
    [InlineData("../s3cr3t-projects/repo.git/", "repo")]
    [InlineData("C:\\Users\\alice\\s3cr3t\\repo", "repo")]
    [InlineData("", null)]
    public void Credentials_AndLocalPaths_NeverSurvive(string url, string? expected)
    {
        var clean = RemoteUrl.Sanitize(url);

        Assert.Equal(expected, clean);
        Assert.DoesNotContain("s3cr3t", clean ?? string.Empty, StringComparison.Ordinal);
    }
}
