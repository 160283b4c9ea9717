using Periscope.Auth;
using Periscope.Config;
using Periscope.Diagnostics;
using Periscope.Platform;
using Periscope.Spool;

namespace Periscope.Delivery;

/// <summary>
/// periscope login, as a sequence: sign in (<see cref="SignInFlow"/>), ask the ingest whether this
/// user may deliver (an empty batch: 403 means not a member of a Periscope organization), then lift
/// a needs_login back-off so spooled events go now.
/// </summary>
internal sealed class Login(PeriscopeSettings settings, DeliveryTarget.Remote target, Func<string, string?> getVariable, TimeProvider time)
{
    private static readonly TimeSpan s_promptTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How the sign-in went, in words for the terminal.</summary>
    internal sealed record Outcome(bool Success, string Message);

    public async Task<Outcome> RunAsync(bool deviceCode, TextWriter progress, CancellationToken cancellationToken)
    {
        var signedIn = await new SignInFlow(settings, target, getVariable, time).RunAsync(deviceCode, progress, cancellationToken);
        if (signedIn.Problem is { } problem)
        {
            return new Outcome(false, problem);
        }

        var who = signedIn.Who;
        return await CheckMembershipAsync(cancellationToken) switch
        {
            SinkResult.Accepted => Resume(new Outcome(true, $"Signed in as {who} at {signedIn.Issuer}; events go to {target.Endpoint}.")),
            SinkResult.Unavailable { SignIn: "not_a_member" } => new Outcome(false, $"Signed in as {who}, but {who} is not a member of a Periscope organization: ask your Periscope admin for an invitation, then run 'periscope login' again."),
            SinkResult.Unavailable unavailable => Resume(new Outcome(true, $"Signed in as {who} at {signedIn.Issuer}. The ingest could not be asked yet ({unavailable.Reason}); spooled events are delivered once it answers.")),
            var other => Resume(new Outcome(true, $"Signed in as {who} at {signedIn.Issuer}; the ingest answered an empty batch with {other.GetType().Name}.")),
        };
    }

    /// <summary>
    /// The prompt a hook starts when delivery needs a new sign-in (<see cref="SignInPrompt"/>): one
    /// at a time, at most once per cooldown, in the browser, its outcome in periscope.log since
    /// there is no terminal. True when events can be delivered afterwards.
    /// </summary>
    public static bool Prompt(Func<string, string?> getVariable, TimeProvider time)
    {
        var paths = StatePaths.Resolve(getVariable);
        using var held = ProcessLock.TryAcquire(paths.LoginPrompt + ".lock");
        if (held is null)
        {
            return true; // a prompt is open already
        }

        // Under the lock: the hooks that raced to start prompts see this one's cooldown.
        if (!SignInPrompt.IsWanted(paths, getVariable, time)
            || PeriscopeSettings.Load(getVariable) is not { Target: DeliveryTarget.Remote target } settings)
        {
            return true;
        }

        SignInPrompt.MarkShown(paths, time);
        var log = new PeriscopeLog(paths, time, echoToStderr: false);
        using var cancel = new CancellationTokenSource(s_promptTimeout);
        try
        {
            var outcome = new Login(settings, target, getVariable, time).RunAsync(deviceCode: false, TextWriter.Null, cancel.Token).GetAwaiter().GetResult();
            log.Write("sign-in", $"prompt at session start: {outcome.Message}");
            return outcome.Success;
        }
        catch (OperationCanceledException)
        {
            log.Write("sign-in", $"prompt at session start: no sign-in within {s_promptTimeout.TotalMinutes:0} minutes; run 'periscope login'");
            return false;
        }
    }

    private async Task<SinkResult> CheckMembershipAsync(CancellationToken cancellationToken)
    {
        using var client = new IngestClient(target, new AccessTokens(getVariable, target, AccessTokens.StoreFor(settings, getVariable)), DeliveryOptions.Default with { MaxRetryAttempts = 0 }, time);
        return await client.SendAsync([], cancellationToken);
    }

    // The sign-in is new: forget a needs_login back-off and let the worker deliver what waited.
    private Outcome Resume(Outcome outcome)
    {
        var paths = StatePaths.Resolve(getVariable);
        using (var held = DrainLock.TryAcquire(paths))
        {
            if (held is not null)
            {
                var store = new DeliveryStateStore(paths);
                var state = store.Load();
                if (state.SignIn is "needs_login" or "not_a_member" || state.NextAttemptAt is not null)
                {
                    store.Save(state with { SignIn = "ok", NextAttemptAt = null, Failures = 0, LastError = null });
                }
            }
        }

        WorkerLauncher.EnsureRunning(paths, getVariable);
        return outcome;
    }
}
