namespace Periscope.Tests.Support;

/// <summary>The recorded completed assistant message as a shim envelope, under a message id of its own.</summary>
internal static class HookEnvelopes
{
    public static byte[] CompletedMessage(int number)
    {
        var recorded = HookFixtures.CompletedAssistantMessages()[0].DeepClone().AsObject();
        HookFixtures.Info(recorded)!["id"] = $"msg_load{number:D8}";
        return HookFixtures.AsShimEnvelope(recorded);
    }
}
