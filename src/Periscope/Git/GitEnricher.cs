using Periscope.Events;
using Periscope.Platform;

namespace Periscope.Git;

/// <summary>The git step's result: the event with its context, commits found, or what went wrong.</summary>
internal sealed record GitResult(IPeriscopeEvent? Event, IReadOnlyList<CommitEvent> Commits, string? Problem);

/// <summary>
/// The enrich step of the capture path: finds the session's repository, adds the git context to
/// the event and runs commit detection. Outside a repository the event goes on without context; a
/// git failure is reported and never stops the event.
/// </summary>
/// <param name="fallbackDirectory">Where to look when the hook call names no directory: the hook's
/// working directory (OpenCode's), or null for replay, whose working directory is unrelated.</param>
internal sealed class GitEnricher(StatePaths paths, Func<string, string?> getVariable, CommitDetector detector, string? fallbackDirectory)
{
    public GitResult Apply(IPeriscopeEvent? value, GitTrigger trigger)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        if (trigger.Kind == GitTriggerKind.ToolStarted)
        {
            // Only a time to remember: no repository needs reading.
            detector.ToolStarted(trigger.SessionId, trigger.CallId!, trigger.Time);
            return new(value, [], null);
        }

        var start = trigger.Directory is { Length: > 0 } d && Path.IsPathRooted(d) ? d : fallbackDirectory;
        if (start is null || RepositoryLocator.Find(start, getVariable) is not { } repository)
        {
            return new(value, [], null);
        }

        try
        {
            var context = GitContextReader.Read(repository);
            using var objects = new CommitObjects(repository, paths);
            IReadOnlyList<CommitEvent> commits = [];
            switch (trigger.Kind)
            {
                case GitTriggerKind.Context:
                    detector.EnsureStart(repository, trigger.SessionId, objects, context, trigger.Time);
                    break;
                case GitTriggerKind.MessageCompleted:
                    commits = detector.Detect(repository, trigger.SessionId, objects, context, trigger.Time);
                    break;
                case GitTriggerKind.ToolEnded:
                    commits = detector.Detect(repository, trigger.SessionId, objects, context, trigger.Time, trigger.CallId);
                    break;
            }

            return new(WithContext(value, context), commits, objects.Problem);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new(value, [], $"git: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static IPeriscopeEvent? WithContext(IPeriscopeEvent? value, GitContext context) => value switch
    {
        AssistantMessageEvent message => message with { Git = context },
        SessionEvent session => session with { Git = context },
        _ => value,
    };
}
