using System.Text;
using Periscope.Events;

namespace Periscope.Generators.Tests.RoundTrip;

/// <summary>Bad input never throws and says what is wrong and where.</summary>
public sealed class RejectionTests
{
    private static readonly string s_valid = Encoding.UTF8.GetString(EventJson.Serialize(SampleEvents.FullCommit()));

    [Theory]
    [InlineData("", "$: empty input")]
    [InlineData("   ", "$: empty input")]
    [InlineData("[1,2]", "$: expected an object, found an array")]
    [InlineData("\"text\"", "$: expected an object, found a string")]
    [InlineData("{\"kind\":\"commit\"", "malformed JSON at line 1")]
    [InlineData("{\"kind\":\"commit\",}", "malformed JSON at line 1")]
    [InlineData("{\"schema_version\":1}", "$.kind: required property is missing")]
    [InlineData("{\"kind\":42}", "$.kind: required property is missing or not a string")]
    [InlineData("{\"kind\":\"prompt\"}", "$.kind: unknown event kind 'prompt' (expected one of: assistant_message, commit, session, session_usage)")]
    public void MalformedOrUnknownInput_IsRejected(string json, string error)
        => AssertRejected(json, error);

    [Fact]
    public void TruncatedEvent_IsRejected()
        => AssertRejected(s_valid[..(s_valid.Length / 2)], "malformed JSON at line 1");

    [Fact]
    public void TrailingContent_IsRejected()
        => AssertRejected(s_valid + "{}", "malformed JSON");

    [Fact]
    public void WrongType_IsRejected_WithItsPath()
        => AssertRejected(Edit(s_valid, "\"parent_count\":2", "\"parent_count\":\"2\""), "$.parent_count: expected an integer, found a string");

    [Fact]
    public void WrongTypeInANestedObject_IsRejected_WithItsPath()
        => AssertRejected(Edit(s_valid, "\"repo_name\":\"repo\"", "\"repo_name\":7"), "$.git.repo_name: expected a string, found a number");

    [Fact]
    public void FractionalInteger_IsRejected()
        => AssertRejected(Edit(s_valid, "\"parent_count\":2", "\"parent_count\":2.5"), "$.parent_count: not a 64-bit integer");

    [Fact]
    public void IntegerBeyondInt64_IsRejected()
        => AssertRejected(Edit(s_valid, "\"parent_count\":2", "\"parent_count\":9223372036854775808"), "$.parent_count: not a 64-bit integer");

    [Fact]
    public void UnknownEnumValue_IsRejected_NamingTheValues()
        => AssertRejected(Edit(s_valid, "\"cherry_pick\"", "\"squash\""), "$.operation: unknown value 'squash' (expected one of: commit, amend, merge, fast_forward, cherry_pick, rebase, pull)");

    [Fact]
    public void UnknownProperty_IsRejected_NamingIt()
        => AssertRejected(Edit(s_valid, "\"sha\":", "\"shaa\":"), "$: unknown property 'shaa'");

    [Fact]
    public void AbsentRequiredField_IsRejected()
    {
        var json = Edit(Encoding.UTF8.GetString(EventJson.Serialize(SampleEvents.MinimalCommit())), "\"sha\":\"abc\",", "");

        AssertRejected(json, "$.sha: required property is missing");
    }

    [Fact]
    public void OverLongString_IsRejected()
    {
        var session = SampleEvents.FullSession() with { Title = SampleEvents.MaxTitle + "!" };

        AssertRejected(Encoding.UTF8.GetString(EventJson.Serialize(session)), "$.title: longer than 512 characters");
    }

    [Fact]
    public void MaxLengthCountsCodePoints_NotUtf16Units()
    {
        Assert.Equal(512, EventJsonPrimitives.CodePointLength(SampleEvents.MaxTitle));
        Assert.True(SampleEvents.MaxTitle.Length > 512);
        Assert.Empty(SampleEvents.FullSession().Validate());
    }

    [Fact]
    public void NumberBelowMinimum_IsRejected()
    {
        var message = SampleEvents.MinimalAssistantMessage() with { Tokens = new TokenUsage { Input = -1, Output = 0, Reasoning = 0, CacheRead = 0, CacheWrite = 0 } };

        AssertRejected(Encoding.UTF8.GetString(EventJson.Serialize(message)), "$.tokens.input: less than 0");
    }

    [Fact]
    public void OtherSchemaVersion_IsRejected()
        => AssertRejected(Edit(s_valid, "\"schema_version\":1", "\"schema_version\":2"), "$.schema_version: version 2 is not supported (this build reads 1)");

    [Fact]
    public void InvalidUtf8_IsRejected()
    {
        var bytes = Encoding.UTF8.GetBytes(s_valid);
        bytes[Array.IndexOf(bytes, (byte)'c', 40)] = 0xFF;

        var result = EventJson.Read(bytes);

        Assert.False(result.Success);
        Assert.Null(result.Event);
        Assert.Equal("$: a string is not valid UTF-8", result.Error);
    }

    [Fact]
    public void UndefinedEnumValue_FailsValidation()
    {
        var commit = SampleEvents.FullCommit() with { Operation = (CommitOperation)99 };

        Assert.Equal(["$.operation: not a CommitOperation value"], commit.Validate());
    }

    // Replaces text that must be there: an edit that changes nothing would test the valid event.
    private static string Edit(string json, string from, string to)
    {
        Assert.Contains(from, json, StringComparison.Ordinal);
        return json.Replace(from, to, StringComparison.Ordinal);
    }

    private static void AssertRejected(string json, string error)
    {
        var result = EventJson.Read(Encoding.UTF8.GetBytes(json));

        Assert.False(result.Success);
        Assert.Null(result.Event);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }
}
