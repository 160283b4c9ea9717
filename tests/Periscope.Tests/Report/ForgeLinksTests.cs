using Periscope.Report;

namespace Periscope.Tests.Report;

public sealed class ForgeLinksTests
{
    private const string Sha = "0123456789abcdef0123456789abcdef01234567";

    [Theory]
    [InlineData("https://github.com/acme/rocket.git", "https://github.com/acme/rocket/commit/" + Sha)]
    [InlineData("https://github.com/acme/rocket", "https://github.com/acme/rocket/commit/" + Sha)]
    [InlineData("git@github.com:acme/rocket.git", "https://github.com/acme/rocket/commit/" + Sha)]
    [InlineData("ssh://git@github.com/acme/rocket.git", "https://github.com/acme/rocket/commit/" + Sha)]
    [InlineData("https://token:x-oauth@github.com/acme/rocket.git", "https://github.com/acme/rocket/commit/" + Sha)]
    [InlineData("https://gitlab.com/group/sub/project.git", "https://gitlab.com/group/sub/project/-/commit/" + Sha)]
    [InlineData("git@bitbucket.org:team/repo.git", "https://bitbucket.org/team/repo/commits/" + Sha)]
    [InlineData("https://org@dev.azure.com/org/Project/_git/repo", "https://dev.azure.com/org/Project/_git/repo/commit/" + Sha)]
    [InlineData("git@ssh.dev.azure.com:v3/org/Project/repo", "https://dev.azure.com/org/Project/_git/repo/commit/" + Sha)]
    public void AKnownForge_LinksTheCommit_WithoutCredentials(string repository, string expected)
        => Assert.Equal(expected, ForgeLinks.Commit(repository, Sha)?.AbsoluteUri);

    [Theory]
    [InlineData("https://git.example.com/acme/rocket.git", Sha)] // not a forge whose pages are known
    [InlineData("/home/dev/src/rocket", Sha)]
    [InlineData("https://github.com/acme/rocket.git", "not-a-sha")]
    [InlineData("https://github.com/acme/<script>.git", Sha)]
    [InlineData(null, Sha)]
    public void AnythingElse_HasNoLink(string? repository, string sha)
        => Assert.Null(ForgeLinks.Commit(repository, sha));
}
