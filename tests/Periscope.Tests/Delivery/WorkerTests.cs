using System.Text.Json;
using Periscope.Spool;
using Periscope.Platform;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>The background worker the hook starts, through the published binary.</summary>
public sealed class WorkerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private string Home => _temp.Combine("state");

    public void Dispose()
    {
        // Let a worker of this test finish before its directory goes.
        WaitUntil(() => !WorkerRunning(), TimeSpan.FromSeconds(30));
        _temp.Dispose();
    }

    [Fact]
    public void Hook_StartsAWorker_ThatDeliversToTheLedger_WithoutTheHookWaitingForIt()
    {
        var result = PeriscopeBinary.Run(Environment(idleSeconds: 5), HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode", "--verbose");

        // The hook's stdout and stderr were pipes read to their end: had the worker inherited them,
        // Run would only have returned when the worker exited, seconds later. It is still running.
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("started the background worker", result.Stderr, StringComparison.Ordinal);
        Assert.True(WaitUntil(WorkerRunning, TimeSpan.FromSeconds(5)), "the worker should be running after the hook returned");
        Assert.True(WaitUntil(() => StateDirectory.SpoolFiles(Home).Count == 0 && LedgerLines() == 1, TimeSpan.FromSeconds(20)), "the worker did not deliver the event");
        Assert.True(WaitUntil(() => !WorkerRunning(), TimeSpan.FromSeconds(30)), "the worker did not exit when idle");
    }

    [Fact]
    public void SessionIdle_StartsAWorker_ForWhatIsAlreadySpooled()
    {
        PeriscopeBinary.Run(Home, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl"));
        Assert.Equal(4, StateDirectory.SpoolFiles(Home).Count);

        PeriscopeBinary.Run(Environment(idleSeconds: 1), HookFixtures.AsShimEnvelope(HookFixtures.FirstOf("session.idle")), "hook", "opencode");

        Assert.True(WaitUntil(() => StateDirectory.SpoolFiles(Home).Count == 0 && LedgerLines() == 4, TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void Worker_WhileAnotherHoldsTheLock_ExitsAtOnce_AndTouchesNothing()
    {
        PeriscopeBinary.Run(Home, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl"));
        using (var held = DrainLock.TryAcquire(new StatePaths(Home)))
        {
            var result = PeriscopeBinary.Run(Environment(idleSeconds: 30), null, "worker");

            Assert.Equal(0, result.ExitCode);
            Assert.Equal(4, StateDirectory.SpoolFiles(Home).Count);
        }
    }

    [Fact]
    public async Task Flush_WhileAnotherDrainerHoldsTheLock_WaitsForIt_AndThenDelivers()
    {
        PeriscopeBinary.Run(Home, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl"));
        var held = DrainLock.TryAcquire(new StatePaths(Home)) ?? throw new InvalidOperationException("the drain lock is taken");
        using var flush = PeriscopeBinary.Start(new Dictionary<string, string?> { ["PERISCOPE_HOME"] = Home }, "flush");
        var stdout = flush.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        using (held)
        {
            // flush says it waits, and waits: the spool is untouched while the lock is held.
            var said = await flush.StandardError.ReadLineAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
            Assert.Equal("periscope: the background worker is delivering; waiting for it...", said);
            Assert.False(flush.HasExited);
            Assert.Equal(4, StateDirectory.SpoolFiles(Home).Count);
            Assert.Equal(0, LedgerLines());
        }

        await flush.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        Assert.Equal(0, flush.ExitCode);
        Assert.Contains("local mode: 4 events delivered", await stdout, StringComparison.Ordinal);
        Assert.Equal(4, LedgerLines());
    }

    [Fact]
    public void Flush_WhileTheWorkerHasDeliveredAndIdles_SaysTheWorkerDeliveredEverything()
    {
        PeriscopeBinary.Run(Home, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl"));
        PeriscopeBinary.Run(Environment(idleSeconds: 10), HookFixtures.AsShimEnvelope(HookFixtures.FirstOf("session.idle")), "hook", "opencode");
        Assert.True(WaitUntil(() => StateDirectory.SpoolFiles(Home).Count == 0 && WorkerRunning(), TimeSpan.FromSeconds(20)));

        var result = PeriscopeBinary.Run(Home, null, "flush");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("The spool is empty: the background worker has delivered it.", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(4, LedgerLines());
    }

    [Fact]
    public void WorkerOff_LeavesTheSpoolForFlush()
    {
        var environment = new Dictionary<string, string?>(Environment(idleSeconds: 1)) { ["PERISCOPE_WORKER"] = "off" };

        var hook = PeriscopeBinary.Run(environment, HookFixtures.AsShimEnvelope(HookFixtures.CompletedAssistantMessages()[0]), "hook", "opencode", "--verbose");

        // The hook decides before it exits, and says so with --verbose; a worker it had started would
        // have delivered the event, so flush would find nothing of its own to deliver.
        Assert.Contains("wrote ", hook.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("started the background worker", hook.Stderr, StringComparison.Ordinal);
        Assert.Single(StateDirectory.SpoolFiles(Home));
        var flush = PeriscopeBinary.Run(Home, null, "flush");
        Assert.Contains("local mode: 1 events delivered", flush.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_ReportsQueueWorkerAndDeadLetters()
    {
        PeriscopeBinary.Run(Home, null, "replay", HookFixtures.FixturePath("session-with-commit.hooks.jsonl"));
        Directory.CreateDirectory(Path.Combine(Home, "dead"));
        File.WriteAllText(Path.Combine(Home, "dead", "x.json"), "{}");

        var human = PeriscopeBinary.Run(Home, null, "status");
        var json = JsonDocument.Parse(PeriscopeBinary.Run(Home, null, "status", "--json").Stdout).RootElement;

        Assert.Contains("mode:           local", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("queue:          4 events", human.Stdout, StringComparison.Ordinal);
        Assert.Equal(("local", 4, false, 1), (json.GetProperty("mode").GetString(), json.GetProperty("queue_depth").GetInt32(), json.GetProperty("worker_running").GetBoolean(), json.GetProperty("dead_letters").GetInt32()));
        Assert.Equal(JsonValueKind.Null, json.GetProperty("last_success_at").ValueKind);
    }

    private Dictionary<string, string?> Environment(int idleSeconds) => new()
    {
        ["PERISCOPE_HOME"] = Home,
        ["PERISCOPE_WORKER"] = "on",
        ["PERISCOPE_WORKER_IDLE_SECONDS"] = idleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private bool WorkerRunning()
    {
        using var probe = DrainLock.TryAcquire(new StatePaths(Home));
        return probe is null;
    }

    private int LedgerLines()
    {
        var ledger = Path.Combine(Home, "ledger");
        return Directory.Exists(ledger) ? Directory.GetFiles(ledger).Sum(f => File.ReadAllLines(f).Length) : 0;
    }

    // Polls a condition of another process; the deadline only bounds a failing test.
    private static bool WaitUntil(Func<bool> condition, TimeSpan deadline)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > deadline)
            {
                return false;
            }

            Thread.Sleep(50);
        }

        return true;
    }
}
