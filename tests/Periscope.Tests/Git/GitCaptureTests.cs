using Periscope.Events;
using Periscope.Tests.Support;

namespace Periscope.Tests.Git;

/// <summary>
/// Git context and commit detection on real repositories made with the git CLI. Every test runs
/// twice: in-process and through the published AOT binary (where LibGit2Sharp's Discover fails).
/// </summary>
public abstract class GitCaptureTests : IDisposable
{
    // Git's clock for the scenario, set per commit so tool windows are exact (reflog: 1 s resolution).
    private static readonly long s_t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;

    private readonly TempDirectory _temp = new();

    protected string Home => _temp.Combine("state");

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs one hook call with the given extra environment.</summary>
    protected abstract void Hook(byte[] payload, IReadOnlyDictionary<string, string?>? environment = null);

    [Fact]
    public void Branch_GivesRemoteNameBranchAndHead()
    {
        var repo = NewRepo("widgets");
        repo.Git("remote add origin https://alice:s3cr3t-token@example.com/org/widgets.git");
        var head = repo.Commit();

        var git = SessionGit(repo.Path);

        Assert.Equal(new GitContext { RepoUrl = "https://example.com/org/widgets.git", RepoName = "widgets", Branch = "main", Detached = false, HeadSha = head }, git);
        Assert.DoesNotContain("s3cr3t", StateDirectory.AllTextExceptLibraries(Home), StringComparison.Ordinal);
    }

    [Fact]
    public void FirstRemote_IsUsed_WithoutOrigin()
    {
        var repo = NewRepo("r");
        repo.Commit();
        repo.Git("remote add upstream git@example.com:org/r.git");

        Assert.Equal("git@example.com:org/r.git", SessionGit(repo.Path)!.RepoUrl);
    }

    [Fact]
    public void DetachedHead_HasNoBranch()
    {
        var repo = NewRepo("r");
        var first = repo.Commit();
        repo.Commit();
        repo.Git($"checkout -q --detach {first}");

        var git = SessionGit(repo.Path)!;

        Assert.Equal((true, null, first), (git.Detached, git.Branch, git.HeadSha));
    }

    [Fact]
    public void Worktree_IsFound_ThroughItsGitFile()
    {
        var repo = NewRepo("main-repo");
        repo.Commit();
        var worktree = _temp.Combine("feature-tree");
        repo.Git($"worktree add -q -b feature {worktree}");
        var head = new GitRepo(worktree, init: false).Commit();

        var git = SessionGit(Path.Combine(worktree))!;

        Assert.Equal(("feature", head, "feature-tree"), (git.Branch, git.HeadSha, git.RepoName));
    }

    [Fact]
    public void Submodule_IsItsOwnRepository()
    {
        var library = NewRepo("library");
        var libraryHead = library.Commit();
        var app = NewRepo("app");
        app.Commit();
        app.Git($"-c protocol.file.allow=always submodule add -q {library.Path} lib");
        app.Git("commit -q -m add-submodule");

        var git = SessionGit(Path.Combine(app.Path, "lib"))!;

        Assert.Equal(libraryHead, git.HeadSha);
        Assert.Equal("lib", git.RepoName);
        Assert.Equal("library", git.RepoUrl); // a local path: the repository's name only
    }

    [Fact]
    public void UnbornRepository_HasBranchButNoHead()
    {
        var repo = NewRepo("fresh");

        var git = SessionGit(repo.Path)!;

        Assert.Equal(("main", null, "fresh"), (git.Branch, git.HeadSha, git.RepoName));
    }

    [Fact]
    public void BareRepository_IsRead()
    {
        var source = NewRepo("source");
        var head = source.Commit();
        var bare = _temp.Combine("shared.git");
        source.Git($"clone -q --bare {source.Path} {bare}");

        var git = SessionGit(bare)!;

        Assert.Equal(("shared", head, "main"), (git.RepoName, git.HeadSha, git.Branch));
    }

    [Fact]
    public void NoRepository_GivesAnEventWithoutGit()
    {
        var plain = _temp.Combine("plain");
        Directory.CreateDirectory(plain);

        var session = SessionEvent(plain, new Dictionary<string, string?> { ["GIT_CEILING_DIRECTORIES"] = _temp.Path });

        Assert.Null(session.Git);
    }

    [Fact]
    public void GitDir_Variable_IsHonored()
    {
        var repo = NewRepo("elsewhere");
        var head = repo.Commit();
        var plain = _temp.Combine("plain");
        Directory.CreateDirectory(plain);

        var session = SessionEvent(plain, new Dictionary<string, string?> { ["GIT_DIR"] = repo.GitDirectory });

        Assert.Equal(head, session.Git!.HeadSha);
    }

    [Fact]
    public void CeilingDirectories_StopTheSearch()
    {
        var repo = NewRepo("r");
        repo.Commit();
        var deep = Path.Combine(repo.Path, "a", "b");
        Directory.CreateDirectory(deep);

        Assert.NotNull(SessionEvent(deep).Git);
        Assert.Null(SessionEvent(deep, new Dictionary<string, string?> { ["GIT_CEILING_DIRECTORIES"] = Path.Combine(repo.Path, "a") }, "ses_ceiling").Git);
    }

    [Fact]
    public void CommitInsideABashCall_IsAttributedToTheTool()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);

        var sha = InToolCall("ses_a", repo, "call_1", () => repo.Commit(at: s_t0 + 10), s_t0 + 9, s_t0 + 11);

        var commit = Assert.Single(Commits());
        Assert.Equal((sha, 1L, CommitOperation.Commit, CommitAttribution.Tool, "ses_a"), (commit.Sha, commit.ParentCount, commit.Operation, commit.Attribution, commit.SessionId));
        Assert.Equal(sha, commit.Git!.HeadSha);
    }

    [Fact]
    public void PackedRefs_AreRead()
    {
        var repo = NewRepo("packed");
        var head = repo.Commit();
        repo.Git("pack-refs --all --prune");
        Assert.False(File.Exists(Path.Combine(repo.GitDirectory, "refs", "heads", "main")));

        Assert.Equal(head, SessionGit(repo.Path)!.HeadSha);
    }

    [Fact]
    public void ExpiredReflog_StillYieldsTheNextCommit()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        repo.Commit(at: s_t0 + 1);
        Start("ses_a", repo);
        repo.Git("reflog expire --expire=all --all");

        var sha = repo.Commit(at: s_t0 + 200);
        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        Assert.Equal(sha, Assert.Single(Commits()).Sha);
    }

    [Fact]
    public void CommitMessages_Authors_AndPaths_AppearNowhere()
    {
        var repo = NewRepo("canary-repo");
        repo.Git("remote add origin https://bob:TOKEN_CANARY_42@example.com/org/canary-repo.git");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);

        InToolCall("ses_a", repo, "c", () => repo.Commit("MESSAGE_CANARY_42", at: s_t0 + 10), s_t0 + 9, s_t0 + 11);
        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        Assert.Single(Commits());
        var spool = string.Join("\n", StateDirectory.SpoolFiles(Home).Select(File.ReadAllText));
        foreach (var secret in new[] { "TOKEN_CANARY_42", "MESSAGE_CANARY_42", "Test Author", "author@example.invalid", "committer@example.invalid", _temp.Path })
        {
            Assert.DoesNotContain(secret, spool, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("MESSAGE_CANARY_42", StateDirectory.AllTextExceptLibraries(Home), StringComparison.Ordinal);
        Assert.DoesNotContain("TOKEN_CANARY_42", StateDirectory.AllTextExceptLibraries(Home), StringComparison.Ordinal);
    }

    [Fact]
    public void ACommitEvent_CountsFilesAndLinesAgainstItsFirstParent_AsGitDoes()
    {
        var repo = NewRepo("r");
        File.WriteAllText(Path.Combine(repo.Path, "keep.txt"), "one\ntwo\nthree\n");
        File.WriteAllText(Path.Combine(repo.Path, "old-name.txt"), "the same\ncontent\nas before\n");
        repo.Git("add -A");
        repo.Git("commit -q -m base", at: s_t0);
        Start("ses_a", repo);

        // One line changed and one added, a new file of four lines, a rename with no change.
        File.WriteAllText(Path.Combine(repo.Path, "keep.txt"), "one\n2\nthree\nfour\n");
        File.WriteAllText(Path.Combine(repo.Path, "new.txt"), "a\nb\nc\nd\n");
        repo.Git("mv old-name.txt renamed.txt");
        repo.Git("add -A");
        repo.Git("commit -q -m change", at: s_t0 + 100);
        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        var commit = Assert.Single(Commits());
        Assert.Equal((3L, 6L, 1L, false), (commit.FilesChanged, commit.LinesAdded, commit.LinesRemoved, commit.DiffPartial));
        Assert.Equal("3 files changed, 6 insertions(+), 1 deletion(-)", repo.Git("diff --shortstat -M HEAD~1 HEAD")); // git's own count agrees
        var spool = string.Join("\n", StateDirectory.SpoolFiles(Home).Select(File.ReadAllText));
        foreach (var named in new[] { "keep.txt", "new.txt", "renamed.txt", "old-name.txt", "three", "four" })
        {
            Assert.DoesNotContain(named, spool, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ACommitOfMoreFilesThanTheCap_CountsEveryFile_AndTheLinesOfTheFirstThousand_MarkedPartial()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);
        for (var i = 0; i < 1001; i++)
        {
            File.WriteAllText(Path.Combine(repo.Path, $"f{i:D4}.txt"), "line\n");
        }

        repo.Git("add -A");
        repo.Git("commit -q -m many", at: s_t0 + 100);
        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        var commit = Assert.Single(Commits());
        Assert.Equal((1001L, 1000L, 0L, true), (commit.FilesChanged, commit.LinesAdded, commit.LinesRemoved, commit.DiffPartial));
    }

    [Fact]
    public void ABinaryFile_AnEmptyCommit_AMerge_AndA50kLineCommit_CountAsGitDoes()
    {
        var repo = NewRepo("r");
        File.WriteAllText(Path.Combine(repo.Path, "text.txt"), "one\ntwo\n");
        repo.Git("add -A");
        repo.Git("commit -q -m base", at: s_t0);
        Start("ses_a", repo);

        // A binary file (NUL bytes: git counts the file, no lines) beside one changed text line.
        File.WriteAllBytes(Path.Combine(repo.Path, "image.bin"), [.. Enumerable.Range(0, 1024).Select(i => (byte)(i % 7))]);
        File.WriteAllText(Path.Combine(repo.Path, "text.txt"), "one\n2\n");
        repo.Git("add -A");
        repo.Git("commit -q -m binary", at: s_t0 + 10);
        var binary = repo.Git("rev-parse HEAD");

        repo.Git("commit -q --allow-empty -m empty", at: s_t0 + 20);
        var empty = repo.Git("rev-parse HEAD");

        // A merge counts against its first parent: what the side branch brought in.
        repo.Git("checkout -q -b side");
        File.WriteAllText(Path.Combine(repo.Path, "side.txt"), "a\nb\nc\n");
        repo.Git("add -A");
        repo.Git("commit -q -m side", at: s_t0 + 30);
        repo.Git("checkout -q -");
        File.WriteAllText(Path.Combine(repo.Path, "main.txt"), "m\n");
        repo.Git("add -A");
        repo.Git("commit -q -m main", at: s_t0 + 40);
        repo.Git("merge -q --no-ff --no-edit side", at: s_t0 + 50);
        var merge = repo.Git("rev-parse HEAD");

        File.WriteAllText(Path.Combine(repo.Path, "big.txt"), string.Concat(Enumerable.Range(0, 50_000).Select(i => $"line {i}\n")));
        repo.Git("add -A");
        repo.Git("commit -q -m big", at: s_t0 + 60);
        var big = repo.Git("rev-parse HEAD");
        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        var commits = Commits().ToDictionary(commit => commit.Sha);
        Assert.Equal((2L, 1L, 1L, false), Counts(commits[binary]));
        Assert.Equal("2 files changed, 1 insertion(+), 1 deletion(-)", repo.Git($"diff --shortstat -M {binary}~1 {binary}"));
        Assert.Equal((0L, 0L, 0L, false), Counts(commits[empty]));
        Assert.Equal((1L, 3L, 0L, false), Counts(commits[merge]));
        Assert.Equal("1 file changed, 3 insertions(+)", repo.Git($"diff --shortstat -M {merge}^1 {merge}"));
        Assert.Equal((1L, 50_000L, 0L, false), Counts(commits[big]));
        Assert.Equal("1 file changed, 50000 insertions(+)", repo.Git($"diff --shortstat -M {big}~1 {big}"));
    }

    [Fact]
    public void CommitBetweenMessages_IsAttributedToTheSession()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);
        InToolCall("ses_a", repo, "call_1", () => string.Empty, s_t0 + 9, s_t0 + 11);

        var sha = repo.Commit(at: s_t0 + 100);
        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        var commit = Assert.Single(Commits());
        Assert.Equal((sha, CommitAttribution.Session), (commit.Sha, commit.Attribution));
    }

    [Fact]
    public void CommitsBeforeTheSession_AreNotItsOwn()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        repo.Commit(at: s_t0 + 1);
        Start("ses_a", repo);

        Hook(HookCalls.MessageCompleted("ses_a", "msg_1", repo.Path));

        Assert.Empty(Commits());
    }

    [Fact]
    public void FastForward_Merge_CherryPick_Amend_Rebase_AreEachOneCommitEvent()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        foreach (var branch in new[] { "ahead", "side", "pick", "feat" })
        {
            repo.Git($"checkout -q -b {branch} main");
            repo.Commit(at: s_t0 + 1);
        }

        var pickSource = repo.Git("rev-parse pick");
        repo.Git("checkout -q main");
        Start("ses_a", repo);
        var t = s_t0 + 100;
        string Step(string call, Action action)
        {
            t += 10;
            return InToolCall("ses_a", repo, call, () => { action(); return repo.Head; }, t - 1, t + 1);
        }

        var fastForward = Step("ff", () => repo.Git("merge -q --ff-only ahead", at: t));
        var merge = Step("merge", () => repo.Git("merge -q --no-ff --no-edit side", at: t));
        var picked = Step("pick", () => repo.Git($"cherry-pick {pickSource}", at: t));
        string? beforeAmend = null;
        var amended = Step("amend", () => { beforeAmend = repo.Commit(at: t); repo.Git("commit -q --amend -m amended", at: t); });
        var rebased = Step("rebase", () => { repo.Git("checkout -q feat", at: t); repo.Git("rebase -q main", at: t); });

        var commits = Commits().ToDictionary(c => c.Sha);
        Assert.Equal(CommitOperation.FastForward, commits[fastForward].Operation);
        Assert.Equal((CommitOperation.Merge, 2L), (commits[merge].Operation, commits[merge].ParentCount));
        Assert.Equal(CommitOperation.CherryPick, commits[picked].Operation);
        Assert.Equal(CommitOperation.Commit, commits[beforeAmend!].Operation);
        Assert.Equal(CommitOperation.Amend, commits[amended].Operation);
        Assert.Equal(CommitOperation.Rebase, commits[rebased].Operation);
        Assert.Equal(6, commits.Count);
        Assert.All(commits.Values, c => Assert.Equal(CommitAttribution.Tool, c.Attribution));
    }

    [Fact]
    public void Pull_FromALocalRemote_IsACommitEvent()
    {
        var upstream = NewRepo("upstream");
        upstream.Commit(at: s_t0);
        var clonePath = _temp.Combine("clone");
        upstream.Git($"clone -q {upstream.Path} {clonePath}", workingDirectory: _temp.Path);
        var clone = new GitRepo(clonePath, init: false);
        var pushed = upstream.Commit(at: s_t0 + 5);
        Start("ses_a", clone);

        InToolCall("ses_a", clone, "pull", () => { clone.Git("pull -q --ff-only", at: s_t0 + 20); return clone.Head; }, s_t0 + 19, s_t0 + 21);

        var commit = Assert.Single(Commits());
        Assert.Equal((pushed, CommitOperation.Pull), (commit.Sha, commit.Operation));
        Assert.Equal("upstream", commit.Git!.RepoUrl); // a local remote: its name only
    }

    [Fact]
    public void ResetAndCheckout_AreNotCommits()
    {
        var repo = NewRepo("r");
        var first = repo.Commit(at: s_t0);
        repo.Commit(at: s_t0 + 1);
        repo.Git("branch other");
        Start("ses_a", repo);

        InToolCall("ses_a", repo, "moves", () =>
        {
            repo.Git($"reset -q --hard {first}", at: s_t0 + 20);
            repo.Git("checkout -q other", at: s_t0 + 20);
            repo.Git("switch -q main", at: s_t0 + 20);
            return repo.Head;
        }, s_t0 + 19, s_t0 + 21);

        Assert.Empty(Commits());
    }

    [Fact]
    public void RepeatedAndConcurrentDetection_CountsACommitOnce()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);
        repo.Commit(at: s_t0 + 50);

        Parallel.For(0, 6, i => Hook(HookCalls.MessageCompleted("ses_a", $"msg_{i}", repo.Path)));
        Hook(HookCalls.MessageCompleted("ses_a", "msg_again", repo.Path));

        Assert.Single(Commits());
    }

    [Fact]
    public void TwoSessionsInOneRepository_ReportEachCommitOnce_ToTheSessionThatMadeIt()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);
        Start("ses_b", repo);

        var fromA = InToolCall("ses_a", repo, "a1", () => repo.Commit(at: s_t0 + 30), s_t0 + 29, s_t0 + 31);
        Hook(HookCalls.MessageCompleted("ses_b", "msg_b", repo.Path));
        var fromB = InToolCall("ses_b", repo, "b1", () => repo.Commit(at: s_t0 + 60), s_t0 + 59, s_t0 + 61);
        Hook(HookCalls.MessageCompleted("ses_a", "msg_a", repo.Path));

        var commits = Commits().ToDictionary(c => c.Sha);
        Assert.Equal(2, commits.Count);
        Assert.Equal(("ses_a", CommitAttribution.Tool), (commits[fromA].SessionId, commits[fromA].Attribution));
        Assert.Equal(("ses_b", CommitAttribution.Tool), (commits[fromB].SessionId, commits[fromB].Attribution));
    }

    [Fact]
    public void ToolAfterArrivingBeforeToolBefore_StillAttributesToTheTool()
    {
        var repo = NewRepo("r");
        repo.Commit(at: s_t0);
        Start("ses_a", repo);
        var sha = repo.Commit(at: s_t0 + 40);

        // Spawned hooks race: the after-hook's process runs first.
        Hook(HookCalls.ToolAfter("ses_a", "late", repo.Path, (s_t0 + 41) * 1000));
        Hook(HookCalls.ToolBefore("ses_a", "late", repo.Path, (s_t0 + 39) * 1000));

        var commit = Assert.Single(Commits());
        Assert.Equal((sha, CommitAttribution.Tool), (commit.Sha, commit.Attribution));
    }

    private GitRepo NewRepo(string name) => new(_temp.Combine(name));

    private void Start(string sessionId, GitRepo repo) => Hook(HookCalls.SessionCreated(sessionId, repo.Path));

    private string InToolCall(string sessionId, GitRepo repo, string callId, Func<string> action, long beforeSeconds, long afterSeconds)
    {
        Hook(HookCalls.ToolBefore(sessionId, callId, repo.Path, beforeSeconds * 1000));
        var result = action();
        Hook(HookCalls.ToolAfter(sessionId, callId, repo.Path, afterSeconds * 1000));
        return result;
    }

    private SessionEvent SessionEvent(string directory, IReadOnlyDictionary<string, string?>? environment = null, string sessionId = "ses_context")
    {
        Hook(HookCalls.SessionCreated(sessionId, directory), environment);
        return Events().OfType<SessionEvent>().Single(s => s.SessionId == sessionId);
    }

    private GitContext? SessionGit(string directory) => SessionEvent(directory).Git;

    private List<CommitEvent> Commits() => Events().OfType<CommitEvent>().ToList();

    private static (long? Files, long? Added, long? Removed, bool? Partial) Counts(CommitEvent commit)
        => (commit.FilesChanged, commit.LinesAdded, commit.LinesRemoved, commit.DiffPartial);

    private List<IPeriscopeEvent> Events()
        => StateDirectory.SpoolFiles(Home).Select(f => EventJson.Read(File.ReadAllBytes(f))).Select(r => r.Event!).ToList();
}
