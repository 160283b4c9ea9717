using Periscope.Events;
using Periscope.Git;

namespace Periscope.Tests.Git;

public sealed class ReflogOperationsTests
{
    [Theory]
    [InlineData("commit: add parser", CommitOperation.Commit)]
    [InlineData("commit (initial): first", CommitOperation.Commit)]
    [InlineData("commit (amend): better", CommitOperation.Amend)]
    [InlineData("commit (merge): Merge branch 'x'", CommitOperation.Merge)]
    [InlineData("merge side: Merge made by the 'ort' strategy.", CommitOperation.Merge)]
    [InlineData("merge ahead: Fast-forward", CommitOperation.FastForward)]
    [InlineData("cherry-pick: fix", CommitOperation.CherryPick)]
    [InlineData("revert: Revert \"fix\"", CommitOperation.Commit)]
    [InlineData("pull: Fast-forward", CommitOperation.Pull)]
    [InlineData("pull --rebase (finish): returning to refs/heads/main", CommitOperation.Pull)]
    [InlineData("rebase (finish): returning to refs/heads/feat", CommitOperation.Rebase)]
    [InlineData("rebase -i (finish): returning to refs/heads/feat", CommitOperation.Rebase)]
    public void CommitCreatingEntries_AreClassified(string message, CommitOperation expected)
        => Assert.Equal(expected, ReflogOperations.Classify(message));

    [Theory]
    [InlineData("checkout: moving from main to feat")]
    [InlineData("reset: moving to HEAD~1")]
    [InlineData("rebase (start): checkout main")]
    [InlineData("rebase (pick): add parser")]
    [InlineData("pull --rebase (pick): add parser")]
    [InlineData("branch: Created from HEAD")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherEntries_AreNotCommits(string? message)
        => Assert.Null(ReflogOperations.Classify(message));
}
