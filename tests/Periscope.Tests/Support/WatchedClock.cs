using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Periscope.Tests.Support;

/// <summary>
/// A fake clock that also tells the test when code starts waiting on it: each timer created (a
/// Polly delay, a timeout) is announced with its due time, so a test can see how long the code
/// means to wait and then move the clock, instead of waiting that long itself.
/// </summary>
internal sealed class WatchedClock : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public WatchedClock()
        : base(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>The due time of the next timer created that <paramref name="wanted"/> accepts; fails the test after 30 s of real time.</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> wanted)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        bound.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var due = await _timers.Reader.ReadAsync(bound.Token);
            if (wanted(due))
            {
                return due;
            }
        }
    }
}
