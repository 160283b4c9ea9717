using Periscope.TestIngest;
using Periscope.Tests.Support;

namespace Periscope.Tests.Delivery;

/// <summary>Delivery to a real ingest (Kestrel on loopback): batching, and what each answer makes the client do.</summary>
public sealed class IngestDeliveryTests : IAsyncLifetime
{
    private readonly DeliveryHarness _harness = new();
    private IngestServer _server = null!;

    public async ValueTask InitializeAsync() => _server = await IngestServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _harness.Dispose();
    }

    [Fact]
    public async Task Delivers_EveryEvent_InGzippedBatchesOfAtMost500_WithTheBearerToken()
    {
        var ids = SpooledEvents.Write(_harness.Home, 1200);

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(1200, result.Delivered);
        Assert.Equal(ids.Order(StringComparer.Ordinal), _server.Stored.Keys.Order(StringComparer.Ordinal));
        Assert.Equal([500, 500, 200], _server.Requests.Select(r => r.Events));
        Assert.All(_server.Requests, r => Assert.Equal("Bearer test-token", r.Authorization));
        Assert.All(_server.Requests, r => Assert.Equal("gzip", r.ContentEncoding));
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(1200, _harness.LedgerLines());
        Assert.Equal(ids[0], _server.Received.First().EventId); // oldest first
        Assert.Equal("ok", _harness.State().SignIn);
        Assert.NotNull(_harness.State().LastSuccessAt);
    }

    [Fact]
    public async Task ServerErrors_AreRetriedWithinTheRound_AndEachEventStoredOnce()
    {
        var ids = SpooledEvents.Write(_harness.Home, 10);
        _server.Enqueue(new IngestFault.Status(500), new IngestFault.Status(503));

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(3, _server.RequestCount);
        Assert.Equal(ids.Count, _server.Stored.Count);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(0, _harness.State().Failures);
    }

    [Fact]
    public async Task TooManyRequests_IsRetried()
    {
        SpooledEvents.Write(_harness.Home, 3);
        _server.Enqueue(new IngestFault.Status(429, RetryAfter: "0"));

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(3, _server.Stored.Count);
    }

    [Fact]
    public async Task RetryAfterInSeconds_IsWaitedOut_BeforeTheRetry()
    {
        SpooledEvents.Write(_harness.Home, 3);
        _server.Enqueue(new IngestFault.Status(503, RetryAfter: "7"));
        var clock = new WatchedClock();

        var round = _harness.RunAsync(_server.Endpoint, DeliveryHarness.OnTheClock, time: clock);
        var wait = await clock.NextTimerAsync(DeliveryHarness.IsARetryDelay);

        Assert.Equal(TimeSpan.FromSeconds(7), wait);
        Assert.Equal(1, _server.RequestCount); // nothing is sent again until the clock has moved
        clock.Advance(wait);
        var result = await round;

        Assert.Null(result.Stopped);
        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(3, _server.Stored.Count);
    }

    [Fact]
    public async Task RetryAfterAsHttpDate_IsWaitedOut_BeforeTheRetry()
    {
        SpooledEvents.Write(_harness.Home, 3);
        // An HTTP date is read against the answer's own Date header, so the two clocks need not agree:
        // the server's clock here says 2031, the client's fake clock 2026.
        var serverNow = new DateTimeOffset(2031, 5, 1, 8, 0, 0, TimeSpan.Zero);
        _server.Enqueue(new IngestFault.Status(503, RetryAfter: serverNow.AddSeconds(5).ToString("R"), Date: serverNow.ToString("R")));
        var clock = new WatchedClock();

        var round = _harness.RunAsync(_server.Endpoint, DeliveryHarness.OnTheClock, time: clock);
        var wait = await clock.NextTimerAsync(DeliveryHarness.IsARetryDelay);

        Assert.Equal(TimeSpan.FromSeconds(5), wait);
        Assert.Equal(1, _server.RequestCount);
        clock.Advance(wait);
        var result = await round;

        Assert.Null(result.Stopped);
        Assert.Equal(2, _server.RequestCount);
    }

    [Fact]
    public async Task LongRetryAfter_EndsTheRound_AndBecomesTheBackoff()
    {
        var ids = SpooledEvents.Write(_harness.Home, 3);
        _server.Enqueue(new IngestFault.Status(503, RetryAfter: "120"));
        var clock = new WatchedClock();

        var result = await _harness.RunAsync(_server.Endpoint, DeliveryHarness.OnTheClock, time: clock);

        Assert.NotNull(result.Stopped);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(ids, _harness.SpoolIds());
        var state = _harness.State();
        Assert.Equal(1, state.Failures);
        Assert.Equal(clock.GetUtcNow() + TimeSpan.FromSeconds(120), state.NextAttemptAt);
        Assert.Contains("503", state.LastError, StringComparison.Ordinal);

        // While the back-off lasts a courier sends nothing; once the clock passes it, the next round delivers.
        using (var waiting = _harness.Courier(_server.Endpoint, DeliveryHarness.OnTheClock, time: clock))
        {
            Assert.Equal(TimeSpan.FromSeconds(120), waiting.BackoffRemaining);
            clock.Advance(TimeSpan.FromSeconds(119));
            Assert.Equal(TimeSpan.FromSeconds(1), waiting.BackoffRemaining);
            clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(TimeSpan.Zero, waiting.BackoffRemaining);
        }

        var next = await _harness.RunAsync(_server.Endpoint, DeliveryHarness.OnTheClock, time: clock);
        Assert.Null(next.Stopped);
        Assert.Equal(3, _server.Stored.Count);
        Assert.Null(_harness.State().NextAttemptAt);
    }

    [Fact]
    public async Task ResponseSlowerThanTheTimeout_IsRetried_AndTheRepeatIsTheSameEvent()
    {
        var ids = SpooledEvents.Write(_harness.Home, 5);
        var stored = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.Enqueue(new IngestFault.HoldReply(stored, release.Task));
        var clock = new WatchedClock();

        var round = _harness.RunAsync(_server.Endpoint, DeliveryHarness.OnTheClock, time: clock);
        await stored.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken); // stored, and the answer held
        clock.Advance(DeliveryHarness.OnTheClock.AttemptTimeout); // the client's per-attempt timeout passes
        clock.Advance(await clock.NextTimerAsync(DeliveryHarness.IsARetryDelay));
        var result = await round;
        release.SetResult();

        Assert.Null(result.Stopped);
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(10, _server.Received.Count); // stored before the held answer, and again on the retry
        Assert.Equal(ids.Order(StringComparer.Ordinal), _server.Stored.Keys.Order(StringComparer.Ordinal));
        Assert.All(_server.Received, e => Assert.Equal(_server.Stored[e.EventId].Json, e.Json));
    }

    [Fact]
    public async Task ConnectionResetMidBody_IsRetried()
    {
        var ids = SpooledEvents.Write(_harness.Home, 200);
        _server.Enqueue(new IngestFault.ResetMidBody());

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(ids.Count, _server.Stored.Count);
    }

    [Fact]
    public async Task Unauthorized_ThenSuccessAfterARefresh_Delivers()
    {
        SpooledEvents.Write(_harness.Home, 4);
        _server.Enqueue(new IngestFault.Status(401));

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(4, _server.Stored.Count);
        Assert.Equal("ok", _harness.State().SignIn);
    }

    [Fact]
    public async Task Unauthorized_AfterTheRefresh_NeedsLogin_AndKeepsEverything()
    {
        var ids = SpooledEvents.Write(_harness.Home, 4);
        _server.RequiredToken = "another-token";

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Equal("needs_login", result.Stopped?.SignIn);
        Assert.Equal(2, _server.RequestCount); // the request, and once more with a fresh token
        Assert.Equal(ids, _harness.SpoolIds());
        Assert.Equal("needs_login", _harness.State().SignIn);
    }

    [Fact]
    public async Task NoToken_NeedsLogin_WithoutARequest()
    {
        var ids = SpooledEvents.Write(_harness.Home, 2);

        var result = await _harness.RunAsync(_server.Endpoint, token: null);

        Assert.Equal("needs_login", result.Stopped?.SignIn);
        Assert.Equal(0, _server.RequestCount);
        Assert.Equal(ids, _harness.SpoolIds());
    }

    [Fact]
    public async Task Forbidden_SaysNotAMember_KeepsEverything_AndIsNotRetried()
    {
        var ids = SpooledEvents.Write(_harness.Home, 4);
        _server.Enqueue(new IngestFault.Status(403));

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Equal("not_a_member", result.Stopped?.SignIn);
        Assert.Contains("not a member of a Periscope organization", result.Stopped!.Reason, StringComparison.Ordinal);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(ids, _harness.SpoolIds());
    }

    [Fact]
    public async Task PayloadTooLarge_HalvesTheBatch_UntilItFits()
    {
        var ids = SpooledEvents.Write(_harness.Home, 500);
        _server.MaxEventsPerRequest = 100;

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(500, _server.Stored.Count);
        Assert.Empty(_harness.SpoolIds());
        Assert.Empty(_harness.DeadIds());

        // 500 -> 2 x 250 -> 4 x 125 -> 8 x 62/63: 1 + 2 + 4 + 8 requests.
        Assert.Equal(15, _server.RequestCount);
        Assert.All(_server.Requests.Where(r => r.Status == 200), r => Assert.InRange(r.Events, 62, 63));
    }

    [Fact]
    public async Task BadRequest_WithPerEventRejections_DeadLettersThose_AndDeliversTheRest()
    {
        var ids = SpooledEvents.Write(_harness.Home, 20);
        var refused = new HashSet<string>([ids[3], ids[11], ids[19]]);
        _server.Reject = id => refused.Contains(id) ? "model_id is not known" : null;
        _server.RefuseWith400 = true;

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(3, result.DeadLettered);
        Assert.Equal(refused.Order(StringComparer.Ordinal), _harness.DeadIds());
        Assert.Contains("model_id is not known", _harness.DeadReason(ids[3]), StringComparison.Ordinal);
        Assert.Equal(17, _server.Stored.Count);
        Assert.DoesNotContain(_server.Stored.Keys, refused.Contains);
        Assert.Equal(2, _server.RequestCount);
        Assert.Empty(_harness.SpoolIds());
    }

    [Fact]
    public async Task Accepted_WithRejections_DeadLettersThoseInOneRequest()
    {
        var ids = SpooledEvents.Write(_harness.Home, 5);
        _server.Reject = id => id == ids[0] ? "duplicate of another organization's event" : null;

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal([ids[0]], _harness.DeadIds());
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(4, _harness.LedgerLines());
    }

    [Theory]
    [InlineData(404)]
    [InlineData(400)]
    [InlineData(410)]
    public async Task OtherClientErrors_DeadLetterTheBatch_WithTheReason_AndAreNotRetried(int status)
    {
        var ids = SpooledEvents.Write(_harness.Home, 3);
        _server.Enqueue(new IngestFault.Status(status, Body: """{"error":"no such tenant"}"""));

        var result = await _harness.RunAsync(_server.Endpoint);

        Assert.Null(result.Stopped);
        Assert.Equal(1, _server.RequestCount);
        Assert.Equal(ids.Order(StringComparer.Ordinal), _harness.DeadIds());
        Assert.Contains($"{status}", _harness.DeadReason(ids[0]), StringComparison.Ordinal);
        Assert.Contains("no such tenant", _harness.DeadReason(ids[0]), StringComparison.Ordinal);
        Assert.Empty(_harness.SpoolIds());
    }

    [Fact]
    public async Task MalformedResponseBody_KeepsTheBatch_AndTheNextRoundDeliversItOnce()
    {
        var ids = SpooledEvents.Write(_harness.Home, 6);
        _server.Enqueue(new IngestFault.MalformedBody());

        var first = await _harness.RunAsync(_server.Endpoint);
        var second = await _harness.RunAsync(_server.Endpoint);

        Assert.NotNull(first.Stopped);
        Assert.Contains("not an ingest response", first.Stopped!.Reason, StringComparison.Ordinal);
        Assert.Null(second.Stopped);
        Assert.Equal(2, _server.RequestCount);
        Assert.Equal(6, _server.Stored.Count);
        Assert.Equal(12, _server.Received.Count); // the repeat is the same six event ids
        Assert.Empty(_harness.SpoolIds());
        Assert.Equal(6, _harness.LedgerLines());
    }

    [Fact]
    public async Task PersistentServerErrors_OpenTheCircuit_SoRequestsStayBounded()
    {
        SpooledEvents.Write(_harness.Home, 3);
        for (var i = 0; i < 50; i++)
        {
            _server.Enqueue(new IngestFault.Status(500));
        }

        var options = DeliveryHarness.Fast with { MaxRetryAttempts = 10, BreakerMinimumThroughput = 6, BreakerFailureRatio = 0.5 };

        var result = await _harness.RunAsync(_server.Endpoint, options);

        Assert.NotNull(result.Stopped);
        Assert.Contains("failed repeatedly", result.Stopped!.Reason, StringComparison.Ordinal);
        Assert.Equal(6, _server.RequestCount); // every one failed: open at the sixth, and nothing more is sent
        Assert.Equal(3, _harness.SpoolIds().Count);
    }
}
