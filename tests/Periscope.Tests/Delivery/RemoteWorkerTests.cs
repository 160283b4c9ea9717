using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Periscope.Platform;
using Periscope.Spool;
using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>The published binary end to end: hooks spool, the worker they start uploads to a real ingest.</summary>
public sealed class RemoteWorkerTests : IAsyncLifetime
{
    private readonly TempDirectory _temp = new();
    private IngestServer _server = null!;

    private string Home => _temp.Combine("state");

    private string Config => _temp.Combine("analytics.json");

    public async ValueTask InitializeAsync()
    {
        _server = await IngestServer.StartAsync();
        _server.RequiredToken = "ci-token";
        File.WriteAllText(Config, $$"""{"endpoint": "{{_server.Endpoint}}"}""");
    }

    public async ValueTask DisposeAsync()
    {
        WaitUntil(() => !WorkerRunning(), TimeSpan.FromSeconds(30));
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    [Fact]
    public void Hook_StartsTheWorker_ThatUploadsToTheIngest_AndStatusSaysSo()
    {
        var result = PeriscopeBinary.Run(Environment(), HookEnvelopes.CompletedMessage(1), "hook", "opencode");

        Assert.Equal(0, result.ExitCode);
        Assert.True(WaitUntil(() => _server.Stored.Count == 1 && StateDirectory.SpoolFiles(Home).Count == 0, TimeSpan.FromSeconds(20)));
        var status = Status();
        Assert.Equal("remote", status.GetProperty("mode").GetString());
        Assert.Equal(_server.Endpoint.ToString(), status.GetProperty("endpoint").GetString());
        Assert.Equal("ok", status.GetProperty("sign_in").GetString());
        Assert.Equal(JsonValueKind.String, status.GetProperty("last_success_at").ValueKind);
        Assert.True(WaitUntil(() => !WorkerRunning(), TimeSpan.FromSeconds(20)));
        Assert.DoesNotContain("ci-token", PeriscopeBinary.Run(Environment(), null, "status").Stdout + StateDirectory.AllTextExceptLibraries(Home), StringComparison.Ordinal);
    }

    [Fact]
    public void ServerDown_TheSpoolKeepsEverything_AndStatusAndFlushSayWhy()
    {
        File.WriteAllText(Config, $$"""{"endpoint": "http://127.0.0.1:{{ClosedPort()}}"}""");
        for (var i = 0; i < 5; i++)
        {
            PeriscopeBinary.Run(Environment(), HookEnvelopes.CompletedMessage(i), "hook", "opencode");
        }

        Assert.True(WaitUntil(() => !WorkerRunning() && File.Exists(Path.Combine(Home, "status.json")), TimeSpan.FromSeconds(20)));
        Assert.Equal(5, StateDirectory.SpoolFiles(Home).Count);
        var status = Status();
        Assert.Contains("cannot connect", status.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, status.GetProperty("next_attempt_at").ValueKind);
        Assert.Contains("cannot connect", PeriscopeBinary.Run(Environment(), null, "status").Stdout, StringComparison.Ordinal);

        var flush = PeriscopeBinary.Run(Environment(), null, "flush");
        Assert.Equal(1, flush.ExitCode);
        Assert.Contains("5 events were not delivered and wait in the spool: cannot connect", flush.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, StateDirectory.SpoolFiles(Home).Count);
    }

    [Fact]
    public void WhileBackingOff_NewHooksStartNoNewRequests_AndFlushGoesAhead()
    {
        _server.Enqueue(new IngestFault.Status(503), new IngestFault.Status(503), new IngestFault.Status(503));
        PeriscopeBinary.Run(Environment(), HookEnvelopes.CompletedMessage(0), "hook", "opencode");
        Assert.True(WaitUntil(() => _server.RequestCount == 3 && !WorkerRunning(), TimeSpan.FromSeconds(30)), $"{_server.RequestCount} requests");

        for (var i = 1; i <= 10; i++)
        {
            PeriscopeBinary.Run(Environment(), HookEnvelopes.CompletedMessage(i), "hook", "opencode");
        }

        Assert.True(WaitUntil(() => !WorkerRunning(), TimeSpan.FromSeconds(10)));
        Assert.Equal(3, _server.RequestCount);
        Assert.Equal(11, StateDirectory.SpoolFiles(Home).Count);
        Assert.Equal(1, Status().GetProperty("failures").GetInt32());

        var flush = PeriscopeBinary.Run(Environment(), null, "flush");

        Assert.Equal(0, flush.ExitCode);
        Assert.Contains("remote: 11 events delivered", flush.Stdout, StringComparison.Ordinal);
        Assert.Equal(11, _server.Stored.Count);
        Assert.Equal(JsonValueKind.Null, Status().GetProperty("last_error").ValueKind);
    }

    [Fact]
    public void MisconfiguredEndpoint_IsAClearErrorInStatus_AndEventsStay()
    {
        File.WriteAllText(Config, """{"endpoint": "http://ingest.example.com"}""");
        PeriscopeBinary.Run(Environment(), HookEnvelopes.CompletedMessage(1), "hook", "opencode");

        var status = PeriscopeBinary.Run(Environment(), null, "status");
        var flush = PeriscopeBinary.Run(Environment(), null, "flush");

        Assert.Contains("not delivering: endpoint 'http://ingest.example.com'", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("use https://", status.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, flush.ExitCode);
        Assert.Single(StateDirectory.SpoolFiles(Home));
    }

    [Fact]
    public void HttpProxy_IsHonoured_AndNoProxyBypassesIt()
    {
        // The endpoint itself is closed; only a request through the proxy (the ingest, which
        // accepts absolute-form targets) can arrive.
        File.WriteAllText(Config, $$"""{"endpoint": "http://127.0.0.1:{{ClosedPort()}}"}""");
        var proxied = new Dictionary<string, string?>(Environment(worker: false)) { ["HTTP_PROXY"] = _server.Endpoint.ToString(), ["NO_PROXY"] = null };
        PeriscopeBinary.Run(proxied, HookEnvelopes.CompletedMessage(1), "hook", "opencode");

        var bypassed = PeriscopeBinary.Run(new Dictionary<string, string?>(proxied) { ["NO_PROXY"] = "127.0.0.1" }, null, "flush");
        var through = PeriscopeBinary.Run(proxied, null, "flush");

        Assert.Equal(1, bypassed.ExitCode);
        Assert.Equal(0, through.ExitCode);
        Assert.Single(_server.Stored);
    }

    [Fact]
    public void AThousandHooks_TwoHundredAtATime_AreEachDeliveredExactlyOnce()
    {
        var environment = Environment();

        // 200 hooks in flight, each waiting on a child: without threads to spare the pool would
        // add them one by one and the test would measure the thread pool instead.
        ThreadPool.GetMinThreads(out var workers, out var completion);
        ThreadPool.SetMinThreads(Math.Max(workers, 450), completion);
        Parallel.For(0, 1000, new ParallelOptions { MaxDegreeOfParallelism = 200 }, i =>
            Assert.Equal(0, PeriscopeBinary.Run(environment, HookEnvelopes.CompletedMessage(i), "hook", "opencode").ExitCode));

        Assert.True(WaitUntil(() => _server.Stored.Count == 1000, TimeSpan.FromSeconds(60)), $"{_server.Stored.Count} of 1000 delivered");
        Assert.True(WaitUntil(() => StateDirectory.SpoolFiles(Home).Count == 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(1000, _server.Received.Count);
        Assert.True(_server.RequestCount <= 200, $"{_server.RequestCount} requests for 1000 events");
    }

    [Fact]
    public async Task WorkerKilledMidBatch_TwentyTimes_WhileHooksKeepComing_LosesNothing_AndResendsTheSameEvents()
    {
        var environment = Environment(worker: false);
        var hooks = 0;
        var held = new List<int>();
        for (var kill = 0; kill < 20; kill++)
        {
            for (var i = 0; i < 25; i++)
            {
                PeriscopeBinary.Run(environment, HookEnvelopes.CompletedMessage(hooks++), "hook", "opencode");
            }

            // The ingest stores the worker's batch and holds the answer; the worker is killed while it
            // waits for it, so it never learns that the batch arrived.
            var stored = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _server.Enqueue(new IngestFault.HoldReply(stored, release.Task));
            using var worker = Process.Start(WorkerStart(environment))!;
            held.Add(await stored.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
            worker.Kill();
            await worker.WaitForExitAsync(TestContext.Current.CancellationToken);
            release.SetResult();
        }

        var flush = PeriscopeBinary.Run(environment, null, "flush");

        Assert.True(flush.ExitCode == 0, flush.Stderr);
        Assert.Empty(StateDirectory.SpoolFiles(Home));
        Assert.Equal(hooks, _server.Stored.Count);
        var received = _server.Received.ToList();
        foreach (var request in held)
        {
            // Every event of a batch whose answer was never read came again in a later request, as the same JSON.
            var batch = received.Where(e => e.Request == request).ToList();
            Assert.NotEmpty(batch);
            Assert.All(batch, first => Assert.Contains(received, again => again.Request > request && again.EventId == first.EventId && again.Json == first.Json));
        }

        Assert.All(received, e => Assert.Equal(_server.Stored[e.EventId].Json, e.Json)); // a repeat is byte for byte the first copy
    }

    private Dictionary<string, string?> Environment(bool worker = true) => new()
    {
        ["PERISCOPE_HOME"] = Home,
        ["PERISCOPE_CONFIG"] = Config,
        ["PERISCOPE_TOKEN"] = "ci-token",
        ["PERISCOPE_WORKER"] = worker ? "on" : "off",
        ["PERISCOPE_WORKER_IDLE_SECONDS"] = "1",
    };

    private static ProcessStartInfo WorkerStart(IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(PeriscopeBinary.Path, "worker") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private JsonElement Status() => JsonDocument.Parse(PeriscopeBinary.Run(Environment(), null, "status", "--json").Stdout).RootElement;

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool WorkerRunning()
    {
        using var probe = DrainLock.TryAcquire(new StatePaths(Home));
        return probe is null;
    }

    private static bool WaitUntil(Func<bool> condition, TimeSpan deadline)
    {
        var stopwatch = Stopwatch.StartNew();
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
