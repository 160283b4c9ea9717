using Periscope.Delivery;

namespace Periscope.Tests.Delivery;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 7.5)]
    [InlineData(3, 11.25)]
    [InlineData(12, 300)]
    [InlineData(1000, 300)]
    public void Backoff_Grows1Point5xPerFailedRound_CappedAt5Minutes(int failures, double seconds)
        => Assert.Equal(seconds, Backoff.After(failures, DeliveryOptions.Default, jitter: 0.5).TotalSeconds, precision: 6);

    [Fact]
    public void Jitter_StaysWithin20Percent_AndNeverPassesTheCap()
    {
        Assert.Equal(4, Backoff.After(1, DeliveryOptions.Default, jitter: 0).TotalSeconds, precision: 6);
        Assert.Equal(6, Backoff.After(1, DeliveryOptions.Default, jitter: 0.999999).TotalSeconds, precision: 3);
        Assert.Equal(300, Backoff.After(50, DeliveryOptions.Default, jitter: 0.999999).TotalSeconds, precision: 6);
    }
}
