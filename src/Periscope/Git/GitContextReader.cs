using Periscope.Events;

namespace Periscope.Git;

/// <summary>
/// Reads where work happens: remote URL (origin, else the first remote) without credentials,
/// repository name, branch or detached, HEAD sha. In an unborn or a bare repository the unknown
/// parts stay empty; nothing here throws for a repository's state.
/// </summary>
internal static class GitContextReader
{
    public static GitContext Read(RepositoryLocation repository)
    {
        ArgumentNullException.ThrowIfNull(repository);
        var (headRef, detachedSha) = GitFiles.ReadHead(repository);
        var remotes = GitFiles.Remotes(repository);
        var remote = remotes.FirstOrDefault(r => r.Name == "origin").Url ?? (remotes.Count > 0 ? remotes[0].Url : null);
        return new GitContext
        {
            RepoUrl = RemoteUrl.Sanitize(remote),
            RepoName = RepositoryName(repository),
            Branch = headRef is not null && headRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? headRef["refs/heads/".Length..] : null,
            Detached = detachedSha is not null,
            HeadSha = detachedSha ?? (headRef is null ? null : GitFiles.ResolveRef(repository, headRef)),
        };
    }

    private static string? RepositoryName(RepositoryLocation repository)
    {
        var root = repository.WorkingDirectory ?? repository.CommonDirectory;
        var name = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        if (repository.WorkingDirectory is null && name.EndsWith(".git", StringComparison.Ordinal))
        {
            name = name[..^4];
        }

        return name.Length == 0 ? null : name;
    }
}
