using Periscope.Events;
using System.Text;

namespace Periscope.Tests.Capture;

public sealed class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void KnownVectors_Match(string input, string expected)
    {
        Span<byte> hash = stackalloc byte[32];

        Sha256.HashData(Encoding.ASCII.GetBytes(input), hash);

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void EveryLengthAroundTheBlockEdges_MatchesThePlatform()
    {
        var random = new Random(42);
        Span<byte> ours = stackalloc byte[32];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            Sha256.HashData(data, ours);

            Assert.Equal(System.Security.Cryptography.SHA256.HashData(data), ours.ToArray());
        }
    }
}
