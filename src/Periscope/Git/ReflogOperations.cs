using Periscope.Events;

namespace Periscope.Git;

/// <summary>
/// Which HEAD reflog entries put a new commit on HEAD, read from the entry's prefix (the part git
/// writes before ": "). The rest of the message can quote a commit subject and is never kept.
/// </summary>
/// <remarks>
/// Commits: <c>commit</c>, <c>commit (initial)</c>, <c>commit (amend)</c>, <c>commit (merge)</c>,
/// <c>merge X</c> (a merge commit, or a fast-forward), <c>cherry-pick</c>, <c>revert</c>, <c>am</c>,
/// <c>pull</c> and <c>pull --rebase (finish)</c>, and a finished rebase (<c>rebase (finish)</c>,
/// <c>rebase -i (finish)</c>: one event for the rebased tip, not one per picked commit).
/// Not commits: checkout, switch, reset, rebase steps before the finish, branch renames.
/// </remarks>
internal static class ReflogOperations
{
    public static CommitOperation? Classify(string? message)
    {
        if (message is null)
        {
            return null;
        }

        var colon = message.IndexOf(": ", StringComparison.Ordinal);
        var prefix = colon < 0 ? message : message[..colon];
        var rest = colon < 0 ? string.Empty : message[(colon + 2)..];
        return prefix switch
        {
            "commit" or "commit (initial)" => CommitOperation.Commit,
            "commit (amend)" => CommitOperation.Amend,
            "commit (merge)" => CommitOperation.Merge,
            "cherry-pick" => CommitOperation.CherryPick,
            "revert" or "am" => CommitOperation.Commit,
            _ when prefix.StartsWith("pull", StringComparison.Ordinal) && (!prefix.Contains('(', StringComparison.Ordinal) || prefix.EndsWith("(finish)", StringComparison.Ordinal)) => CommitOperation.Pull,
            _ when prefix.StartsWith("rebase", StringComparison.Ordinal) && prefix.EndsWith("(finish)", StringComparison.Ordinal) => CommitOperation.Rebase,
            _ when prefix.StartsWith("merge ", StringComparison.Ordinal) => rest.StartsWith("Fast-forward", StringComparison.Ordinal) ? CommitOperation.FastForward : CommitOperation.Merge,
            _ => null,
        };
    }
}
