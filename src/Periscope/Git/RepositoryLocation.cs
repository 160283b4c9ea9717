namespace Periscope.Git;

/// <summary>
/// A repository found on disk. <see cref="GitDirectory"/> holds HEAD and logs/HEAD (for a linked
/// worktree, its own directory under .git/worktrees); <see cref="CommonDirectory"/> holds refs,
/// packed-refs and config; <see cref="WorkingDirectory"/> is null for a bare repository.
/// </summary>
internal sealed record RepositoryLocation(string GitDirectory, string CommonDirectory, string? WorkingDirectory);
