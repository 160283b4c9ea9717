using System.Text;
using System.Text.Json;
using Periscope.Events;
using Periscope.Tests.Support;

namespace Periscope.Tests.Events;

public sealed class MinimalJsonEncoderTests
{
    public static TheoryData<string> Titles => new()
    {
        "plain ascii",
        "quote \" backslash \\ slash /",
        "newline\n return\r tab\t backspace\b formfeed\f",
        "every C0: " + new string(Enumerable.Range(0, 0x20).Select(c => (char)c).ToArray()),
        "DEL \u007f and C1 \u0085 \u009f",
        "line separators \u2028 \u2029",
        "html <script>alert('x')</script> & +",
        "non-ASCII: Größe, café, 日本語, Ελληνικά",
        "astral: 🚀 𝄞 and a pair at the end 😀",
        "lone high \ud800 then text",
        "lone low \udc00",
        "high at the end \ud83d",
    };

    [Theory]
    [MemberData(nameof(Titles))]
    public void AnEventWithAnyTitle_IsValidJson_AndReadsBackAsTheDefaultEncoderWouldHaveIt(string title)
    {
        var session = (SessionEvent)FullEvents.All()[1];
        var written = EventJson.Serialize(session with { Title = title });

        // What a reader gets is what the writer's default encoder would have given it.
        var expected = DefaultSerialized(session with { Title = title });
        using var ours = JsonDocument.Parse(written);
        using var theirs = JsonDocument.Parse(expected);
        Assert.Equal(theirs.RootElement.GetProperty("title").GetString(), ours.RootElement.GetProperty("title").GetString());
        Assert.True(JsonElement.DeepEquals(theirs.RootElement, ours.RootElement));

        // The event reads back through the product's own reader, whole.
        var read = EventJson.Read(written);
        Assert.True(read.Success, read.Error);
        Assert.Equal(ours.RootElement.GetProperty("title").GetString(), ((SessionEvent)read.Event).Title);

        // One line per spool file: nothing that ends a line is written raw.
        Assert.DoesNotContain((byte)'\n', written);
        Assert.DoesNotContain((byte)'\r', written);
        Assert.DoesNotContain("\u2028", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public void NonAsciiText_IsWrittenAsUtf8_NotEscaped()
    {
        var session = (SessionEvent)FullEvents.All()[1];
        var written = Encoding.UTF8.GetString(EventJson.Serialize(session with { Title = "café 🚀 <b>" }));
        Assert.Contains("\"title\":\"café 🚀 <b>\"", written, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharacters_UseJsonsShortEscapes_OrUnicodeEscapes()
    {
        var session = (SessionEvent)FullEvents.All()[1];
        var written = Encoding.UTF8.GetString(EventJson.Serialize(session with { Title = "a\"b\\c\nd\u0001e\u007ff" }));
        Assert.Contains("\"title\":\"a\\\"b\\\\c\\nd\\u0001e\\u007Ff\"", written, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0x1F, true)]
    [InlineData('"', true)]
    [InlineData('\\', true)]
    [InlineData(0x7F, true)]
    [InlineData(0x9F, true)]
    [InlineData(0x2028, true)]
    [InlineData(' ', false)]
    [InlineData('/', false)]
    [InlineData('<', false)]
    [InlineData(0xA0, false)]
    [InlineData(0x1F680, false)]
    public void WillEncode_ExactlyWhatJsonNeeds(int scalar, bool encoded)
        => Assert.Equal(encoded, MinimalJsonEncoder.Instance.WillEncode(scalar));

    private static byte[] DefaultSerialized(IPeriscopeEvent value)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
