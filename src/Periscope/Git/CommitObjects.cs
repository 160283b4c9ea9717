using LibGit2Sharp;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>
/// Reads commit objects (parents) through LibGit2Sharp, opening the repository only when a new
/// commit is actually there: packfiles and deltas are libgit2's job, and most hooks need neither.
/// </summary>
internal sealed class CommitObjects(RepositoryLocation location, StatePaths paths) : IDisposable
{
    private Repository? _repository;

    /// <summary>Why objects could not be read, when they could not.</summary>
    public string? Problem { get; private set; }

    /// <summary>The commit's parent count, or null when it cannot be read.</summary>
    public long? ParentCount(string sha)
    {
        if (Open() is not { } repository)
        {
            return null;
        }

        try
        {
            return repository.Lookup<Commit>(sha)?.Parents.Count();
        }
        catch (LibGit2SharpException ex)
        {
            Problem = $"git: cannot read commit {sha[..Math.Min(12, sha.Length)]}: {ex.Message}";
            return null;
        }
    }

    public void Dispose() => _repository?.Dispose();

    private Repository? Open()
    {
        if (_repository is not null || Problem is not null)
        {
            return _repository;
        }

        if (!NativeGit.TryConfigure(paths, out var problem))
        {
            Problem = problem;
            return null;
        }

        try
        {
            _repository = new Repository(location.GitDirectory);
        }
        catch (Exception ex) when (ex is LibGit2SharpException or DllNotFoundException)
        {
            Problem = $"git: {ex.GetType().Name}: {ex.Message}";
        }

        return _repository;
    }
}
