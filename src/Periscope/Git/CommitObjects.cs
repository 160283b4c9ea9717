using LibGit2Sharp;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>A commit's size against its first parent: counts only.</summary>
internal readonly record struct DiffCounts(long Files, long LinesAdded, long LinesRemoved, bool Partial);

/// <summary>
/// Reads commit objects (parents) through LibGit2Sharp, opening the repository only when a new
/// commit is actually there: packfiles and deltas are libgit2's job, and most hooks need neither.
/// </summary>
internal sealed class CommitObjects(RepositoryLocation location, StatePaths paths) : IDisposable
{
    /// <summary>The most files whose lines a commit event counts (docs/commit-detection.md).</summary>
    public const int DiffFileCap = 1000;

    /// <summary>How long libgit2 may take, over all calls of one hook.</summary>
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(3);

    private Repository? _repository;
    private System.Diagnostics.Stopwatch? _clock;
    private bool _late;

    /// <summary>Why objects could not be read, when they could not.</summary>
    public string? Problem { get; private set; }

    /// <summary>The commit's parent count, or null when it cannot be read.</summary>
    public long? ParentCount(string sha)
    {
        long? count = null;
        return WithinDeadline(() => count = ParentCountNow(sha)) ? count : null;
    }

    /// <summary>
    /// What the commit changed against its first parent (against nothing for a root commit): files,
    /// and lines added and removed over the first <see cref="DiffFileCap"/> files in path order,
    /// with Partial set when there were more. Counts only: no path or line leaves this method.
    /// Null when the objects cannot be read, or not within the deadline.
    /// </summary>
    public DiffCounts? Diff(string sha)
    {
        DiffCounts? counts = null;
        return WithinDeadline(() => counts = DiffNow(sha)) ? counts : null;
    }

    public void Dispose()
    {
        // A call still running past the deadline owns the repository until the process exits.
        if (!_late)
        {
            _repository?.Dispose();
        }
    }

    // libgit2 opens the repository's files itself (config, objects, packs), and a FIFO or device
    // planted at one blocks it in open() for good. So each call runs on a background thread of its
    // own, which the hook waits for until one deadline for all of them; a call still blocked then
    // is abandoned, reported as the problem, and ends with the process, which does not wait for it.
    // Only a hook that found a new commit pays for the thread.
    private bool WithinDeadline(Action work)
    {
        if (_late)
        {
            return false;
        }

        _clock ??= System.Diagnostics.Stopwatch.StartNew();
        var remaining = s_budget - _clock.Elapsed;
        if (remaining <= TimeSpan.Zero)
        {
            return Late();
        }

        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })
        { IsBackground = true, Name = "periscope-libgit2" };
        thread.Start();
        if (!thread.Join(remaining))
        {
            return Late();
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return true;
    }

    private bool Late()
    {
        _late = true;
        Problem = $"git: libgit2 did not finish reading the repository's objects within {s_budget.TotalSeconds:0} s (is a file in {location.GitDirectory} a FIFO or a device?); commits go without counts";
        return false;
    }

    private long? ParentCountNow(string sha)
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

    private DiffCounts? DiffNow(string sha)
    {
        if (Open() is not { } repository)
        {
            return null;
        }

        try
        {
            if (repository.Lookup<Commit>(sha) is not { } commit)
            {
                return null;
            }

            // Renames paired as git diff --stat pairs them; paths taken literally, never as patterns.
            var options = new CompareOptions { Similarity = SimilarityOptions.Renames };
            var before = commit.Parents.FirstOrDefault()?.Tree;
            var changes = repository.Diff.Compare<TreeChanges>(before, commit.Tree, options);
            // Plain arrays and loops: every generic instantiation here is code each hook start pays
            // for (docs/commit-detection.md, "Lines changed").
            var all = new string[changes.Count];
            var oldPaths = new Dictionary<string, string>(StringComparer.Ordinal);
            var n = 0;
            foreach (var change in changes)
            {
                all[n++] = change.Path;
                if (change.OldPath != change.Path)
                {
                    oldPaths[change.Path] = change.OldPath;
                }
            }

            if (n == 0)
            {
                return new DiffCounts(0, 0, 0, false);
            }

            Array.Sort(all, StringComparer.Ordinal);
            var counted = Math.Min(n, DiffFileCap);

            // A renamed file needs both its paths in the filter, or it reads as a new file.
            var paths = new List<string>(counted + oldPaths.Count);
            for (var i = 0; i < counted; i++)
            {
                paths.Add(all[i]);
                if (oldPaths.TryGetValue(all[i], out var from))
                {
                    paths.Add(from);
                }
            }

            var lines = repository.Diff.Compare<PatchStats>(before, commit.Tree, paths, new ExplicitPathsOptions { ShouldFailOnUnmatchedPath = false }, options);
            return new DiffCounts(n, lines.TotalLinesAdded, lines.TotalLinesDeleted, n > counted);
        }
        catch (LibGit2SharpException ex)
        {
            Problem = $"git: cannot diff commit {sha[..Math.Min(12, sha.Length)]}: {ex.Message}";
            return null;
        }
    }

    private Repository? Open()
    {
        if (_repository is not null || Problem is not null)
        {
            return _repository;
        }

        // The files libgit2 opens first: refused here at once, rather than at the deadline.
        foreach (var file in new[] { Path.Combine(location.CommonDirectory, "config"), Path.Combine(location.GitDirectory, "HEAD") })
        {
            if (File.Exists(file) && !RegularFiles.IsRegular(file))
            {
                Problem = $"git: {file} is not a regular file; commits go without counts";
                return null;
            }
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
