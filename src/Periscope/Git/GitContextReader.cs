using LibGit2Sharp;
using Periscope.Events;

namespace Periscope.Git;

/// <summary>
/// Reads where work happens: remote URL (origin, else the first remote) without credentials,
/// repository name, branch or detached, HEAD sha. Outside a repository, in an unborn or a bare one,
/// the unknown parts stay empty; nothing here throws for a repository's state.
/// </summary>
internal static class GitContextReader
{
    /// <summary>The context of an open repository.</summary>
    public static GitContext Read(Repository repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var info = repository.Info;
        var remote = repository.Network.Remotes["origin"] ?? repository.Network.Remotes.FirstOrDefault();
        var detached = info.IsHeadDetached;
        return new GitContext
        {
            RepoUrl = RemoteUrl.Sanitize(remote?.Url),
            RepoName = RepositoryName(info),
            Branch = detached || info.IsBare && info.IsHeadUnborn ? null : BranchName(repository),
            Detached = detached,
            HeadSha = info.IsHeadUnborn ? null : repository.Head.Tip?.Sha,
        };
    }

    private static string? BranchName(Repository repository)
    {
        var name = repository.Head.CanonicalName;
        return name.StartsWith("refs/heads/", StringComparison.Ordinal) ? name["refs/heads/".Length..] : repository.Head.FriendlyName;
    }

    private static string? RepositoryName(RepositoryInformation info)
    {
        var root = info.WorkingDirectory ?? info.Path;
        var name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (info.IsBare && name.EndsWith(".git", StringComparison.Ordinal))
        {
            name = name[..^4];
        }

        return name.Length == 0 ? null : name;
    }
}
